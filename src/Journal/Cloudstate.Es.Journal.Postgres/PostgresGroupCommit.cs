using System.Data;
using Cloudstate.Es.Journal.Batching;
using Npgsql;
using NpgsqlTypes;

namespace Cloudstate.Es.Journal.Postgres;

/// <summary>
/// The PostgreSQL journal's writer. Each batch is one call of the schema's append function (see
/// <see cref="JournalSql.CreateAppendFunction"/>): one statement in its own transaction, one round trip. The function
/// decides every append against the locked streams, so the expected-sequence checks hold against other writers too;
/// the unique (stream, version) index of Marten's table is the last guard.
/// </summary>
internal sealed class PostgresGroupCommit : GroupCommitWriter
{
    private readonly NpgsqlDataSource dataSource;
    private readonly JournalSql sql;

    public PostgresGroupCommit(PostgresJournalOptions options, JournalSql sql)
        : base(options, options.ConcurrentCommits)
    {
        dataSource = options.DataSource;
        this.sql = sql;
        Start();
    }

    protected override async ValueTask<AppendResult[]> CommitAsync(IReadOnlyList<PendingAppend> appends)
    {
        // Batches may commit concurrently, each on its own connection. Had the connection dropped during the call, the
        // events may be stored after all; the caller's next read shows which.
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql.AppendBatch, connection);
        AddArguments(command.Parameters, appends);

        // Prepared once per physical connection, found prepared after. Besides the parse, this keeps the function's
        // plans: Npgsql resets a pooled connection with DISCARD ALL, which drops them, unless it has statements prepared.
        await command.PrepareAsync().ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow).ConfigureAwait(false);
        if (!await reader.ReadAsync().ConfigureAwait(false))
            throw new InvalidOperationException($"{JournalSql.AppendFunctionName} returned no row.");
        var conflicts = reader.GetFieldValue<bool[]>(0);
        var lasts = reader.GetFieldValue<long[]>(1);

        var results = new AppendResult[appends.Count];
        for (var i = 0; i < results.Length; i++)
            results[i] = conflicts[i] ? AppendResult.Conflict(new SequenceNumber(lasts[i])) : AppendResult.Written(new SequenceNumber(lasts[i]));
        return results;
    }

    /// <summary>The function's arguments: the batch's streams once each, then per append and per event, in batch order.</summary>
    private static void AddArguments(NpgsqlParameterCollection parameters, IReadOnlyList<PendingAppend> appends)
    {
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        var streams = new List<string>();
        var appendStream = new int[appends.Count];
        var appendExpected = new long[appends.Count];
        var appendCount = new int[appends.Count];
        var eventIds = new List<Guid>();
        var eventData = new List<byte[]>();
        for (var i = 0; i < appends.Count; i++)
        {
            var append = appends[i];
            if (!slots.TryGetValue(append.Stream.Value, out var slot))
            {
                streams.Add(append.Stream.Value);
                slots.Add(append.Stream.Value, slot = streams.Count);
            }

            appendStream[i] = slot;
            appendExpected[i] = append.Expected.Value;
            appendCount[i] = append.Events.Count;
            foreach (var data in append.Events)
            {
                eventIds.Add(Guid.CreateVersion7());
                eventData.Add(AnyPayload.Encode(data.TypeUrl, data.Data.Span));
            }
        }

        Add(parameters, NpgsqlDbType.Array | NpgsqlDbType.Varchar, streams.ToArray());
        Add(parameters, NpgsqlDbType.Array | NpgsqlDbType.Integer, appendStream);
        Add(parameters, NpgsqlDbType.Array | NpgsqlDbType.Bigint, appendExpected);
        Add(parameters, NpgsqlDbType.Array | NpgsqlDbType.Integer, appendCount);
        Add(parameters, NpgsqlDbType.Array | NpgsqlDbType.Uuid, eventIds.ToArray());
        Add(parameters, NpgsqlDbType.Array | NpgsqlDbType.Bytea, eventData.ToArray());
        Add(parameters, NpgsqlDbType.Varchar, JournalEvent.MartenTypeName);
        Add(parameters, NpgsqlDbType.Varchar, JournalEvent.DotNetTypeName);
    }

    private static void Add(NpgsqlParameterCollection parameters, NpgsqlDbType type, object value) =>
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value });
}
