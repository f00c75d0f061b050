using System.Data;
using Cloudstate.Es.Journal.Batching;
using Npgsql;

namespace Cloudstate.Es.Journal.Postgres;

/// <summary>
/// The PostgreSQL journal's writer. Each batch is one call of the schema's append function (see
/// <see cref="JournalSql.CreateAppendFunction"/>): one statement in its own transaction, one round trip. The function
/// decides every append against the locked streams, so the expected-sequence checks hold against other writers too;
/// the unique (stream, version) index of Marten's table is the last guard.
/// <para>
/// A connection lost before the server answered leaves the outcome open: the batch may have committed. The writer
/// then learns it (<see cref="CommitOutcome"/>) before anyone hears, and a batch known not to be stored is sent again,
/// a few times at most, on a new connection.
/// </para>
/// </summary>
internal sealed class PostgresGroupCommit : GroupCommitWriter
{
    private const int MaxAttempts = 3;

    private readonly NpgsqlDataSource dataSource;
    private readonly JournalSql sql;
    private readonly CommitOutcome outcome;

    public PostgresGroupCommit(PostgresJournalOptions options, JournalSql sql)
        : base(options, options.ConcurrentCommits)
    {
        dataSource = options.DataSource;
        this.sql = sql;
        outcome = new CommitOutcome(dataSource, sql, options.OutcomeTimeout);
        Start();
    }

    protected override string JournalName => "postgres";

    protected override async ValueTask<AppendResult[]> CommitAsync(IReadOnlyList<PendingAppend> appends)
    {
        var batch = new AppendBatch(appends);
        for (var attempt = 1; ; attempt++)
        {
            var (results, notStored) = await TryCommitAsync(batch).ConfigureAwait(false);
            if (results is not null)
                return results;
            if (attempt == MaxAttempts)
                throw notStored!;
        }
    }

    /// <summary>
    /// The batch's results; or, with null results, the exception of an attempt that is known to have stored nothing and
    /// lost its connection, worth another attempt. Throws when nothing was stored and a new attempt would not help,
    /// and <see cref="AppendOutcomeUnknownException"/> when the outcome cannot be learned.
    /// </summary>
    private async Task<(AppendResult[]? Results, Exception? NotStored)> TryCommitAsync(AppendBatch batch)
    {
        // Nothing is sent before the connection opens and the statement is prepared (a prepare does not execute).
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql.AppendBatch, connection);
        batch.AddArguments(command.Parameters);
        var process = connection.ProcessID;
        try
        {
            // Prepared once per physical connection, found prepared after. Besides the parse, this keeps the function's
            // plans: Npgsql resets a pooled connection with DISCARD ALL, which drops them, unless it has statements prepared.
            await command.PrepareAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (IsLost(connection))
        {
            return (null, e);
        }

        NpgsqlDataReader reader;
        try
        {
            reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow).ConfigureAwait(false);
        }
        catch (PostgresException e) when (IsLost(connection))
        {
            // The server's error came before the function's row, which precedes its commit: nothing is stored.
            return (null, e);
        }
        catch (Exception e) when (IsLost(connection))
        {
            return await LearnAsync(batch, process, e).ConfigureAwait(false);
        }

        try
        {
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync().ConfigureAwait(false))
                    throw new InvalidOperationException($"{JournalSql.AppendFunctionName} returned no row.");
                var conflicts = reader.GetFieldValue<bool[]>(0);
                var lasts = reader.GetFieldValue<long[]>(1);
                var results = new AppendResult[batch.Appends.Count];
                for (var i = 0; i < results.Length; i++)
                    results[i] = conflicts[i] ? AppendResult.Conflict(new SequenceNumber(lasts[i])) : AppendResult.Written(new SequenceNumber(lasts[i]));

                // Read to the end, where an error at commit shows; disposing would report it too, but only after returning.
                while (await reader.NextResultAsync().ConfigureAwait(false))
                {
                }

                return (results, null);
            }
        }
        catch (Exception e) when (IsLost(connection))
        {
            // The row came, but the commit after it may or may not have happened.
            return await LearnAsync(batch, process, e).ConfigureAwait(false);
        }
    }

    private async Task<(AppendResult[]?, Exception?)> LearnAsync(AppendBatch batch, int process, Exception lost)
    {
        var results = await outcome.LearnAsync(batch, process, lost).ConfigureAwait(false);
        return results is null ? (null, lost) : (results, null);
    }

    // An error the server reports on a connection that stays open ended the statement's transaction: nothing is stored.
    private static bool IsLost(NpgsqlConnection connection) => connection.FullState != ConnectionState.Open;
}
