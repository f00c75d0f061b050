using System.Diagnostics;
using Cloudstate.Es.Journal.Batching;
using Npgsql;
using NpgsqlTypes;

namespace Cloudstate.Es.Journal.Postgres;

/// <summary>
/// Learns whether a batch whose connection was lost mid-commit landed. It first makes sure the batch can no longer
/// commit (the lost connection's server process is ended and waited for: a server may not notice a vanished client
/// and commit later), then looks each append's first event up by its id. Bounded by
/// <see cref="PostgresJournalOptions.OutcomeTimeout"/>; past it the outcome is unknown.
/// </summary>
internal sealed class CommitOutcome(NpgsqlDataSource dataSource, JournalSql sql, TimeSpan timeout)
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// Each append's result when the batch landed; null when it did not (nothing of it is stored). Throws
    /// <see cref="AppendOutcomeUnknownException"/> when the store cannot tell in time.
    /// </summary>
    public async Task<AppendResult[]?> LearnAsync(AppendBatch batch, int lostProcess, Exception lost)
    {
        var clock = Stopwatch.StartNew();
        Exception last = lost;
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var deadline = new CancellationTokenSource(timeout - clock.Elapsed);
                await using var connection = await dataSource.OpenConnectionAsync(deadline.Token).ConfigureAwait(false);
                await EndProcessAsync(connection, lostProcess, deadline.Token).ConfigureAwait(false);
                return await FindAsync(connection, batch, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                last = e;
            }

            if (clock.Elapsed + Pause < timeout)
                await Task.Delay(Pause).ConfigureAwait(false);
            else
                break;
        }

        throw new AppendOutcomeUnknownException(
            $"The journal lost its connection while committing a batch of {batch.Appends.Count} appends and could not learn within {timeout.TotalSeconds:0.#} s whether it was stored.",
            last);
    }

    /// <summary>Ends the server process of the lost connection if it still runs, and waits until it is gone.</summary>
    private async Task EndProcessAsync(NpgsqlConnection connection, int process, CancellationToken cancellationToken)
    {
        if (process == 0)
            return;
        await using var command = new NpgsqlCommand(sql.EndProcess, connection);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = process });
        while (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            await Task.Delay(Pause, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AppendResult[]?> FindAsync(NpgsqlConnection connection, AppendBatch batch, CancellationToken cancellationToken)
    {
        var appends = batch.Appends;
        var streams = new string[appends.Count];
        var versions = new long[appends.Count];
        for (var i = 0; i < appends.Count; i++)
        {
            streams[i] = appends[i].Stream.Value;
            versions[i] = appends[i].Expected.Value + 1;
        }

        var found = new bool[appends.Count];
        var any = false;
        await using (var command = new NpgsqlCommand(sql.FindAppends, connection))
        {
            AppendBatch.Add(command.Parameters, NpgsqlDbType.Array | NpgsqlDbType.Varchar, streams);
            AppendBatch.Add(command.Parameters, NpgsqlDbType.Array | NpgsqlDbType.Bigint, versions);
            AppendBatch.Add(command.Parameters, NpgsqlDbType.Array | NpgsqlDbType.Uuid, batch.FirstEventIds);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                found[reader.GetInt64(0) - 1] = any = true;
        }

        // None found: the batch did not commit, or every append in it conflicted; either way nothing is stored.
        if (!any)
            return null;

        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(sql.ReadLastSequences, connection))
        {
            AppendBatch.Add(command.Parameters, NpgsqlDbType.Array | NpgsqlDbType.Varchar, batch.Streams.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                positions[reader.GetString(0)] = reader.GetInt64(1);
        }

        // The batch committed: an append whose first event is not there was decided a conflict by the function.
        var results = new AppendResult[appends.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var append = appends[i];
            var now = new SequenceNumber(positions.GetValueOrDefault(append.Stream.Value));
            results[i] = found[i]
                ? AppendResult.Written(new SequenceNumber(append.Expected.Value + append.Events.Count))
                : append.Events.Count == 0 && now == append.Expected ? AppendResult.Written(now) : AppendResult.Conflict(now);
        }

        return results;
    }
}
