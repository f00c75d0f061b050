using Cloudstate.Es.Journal.Batching;
using Npgsql;
using NpgsqlTypes;

namespace Cloudstate.Es.Journal.Postgres;

/// <summary>
/// The PostgreSQL journal's writer. Each batch is one transaction in two round trips: the first creates the rows
/// of new streams and locks every stream of the batch, the second inserts all the events in one statement, moves the
/// streams and commits. The locks make the expected-sequence checks hold against other writers too; the unique
/// (stream, version) index of Marten's table is the last guard.
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
        // Batches may commit concurrently, each on its own connection with its own view of the streams. Had the
        // connection dropped during the commit, the events may be stored after all; the caller's next read shows which.
        var results = new AppendResult[appends.Count];
        var positions = new StreamPositions<bool>();
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await LockStreamsAsync(connection, appends, positions).ConfigureAwait(false);
        await WriteAndCommitAsync(connection, appends, positions, results).ConfigureAwait(false);
        return results;
    }

    private async Task LockStreamsAsync(NpgsqlConnection connection, IReadOnlyList<PendingAppend> appends, StreamPositions<bool> positions)
    {
        var streams = new HashSet<string>(StringComparer.Ordinal);
        var starting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var append in appends)
        {
            streams.Add(append.Stream.Value);
            if (append.Expected == SequenceNumber.None && append.Events.Count > 0)
                starting.Add(append.Stream.Value);
        }

        // The transaction ends with the COMMIT of the second round trip; on any error the connection goes back to the
        // pool inside a failed transaction, which Npgsql rolls back.
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        if (starting.Count > 0)
            batch.BatchCommands.Add(JournalSql.Command(sql.InsertNewStreams, (NpgsqlDbType.Array | NpgsqlDbType.Varchar, starting.ToArray())));
        batch.BatchCommands.Add(JournalSql.Command(sql.LockStreams, (NpgsqlDbType.Array | NpgsqlDbType.Varchar, streams.ToArray())));
        await using (var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
                positions.Found(new StreamId(reader.GetString(0)), true, new SequenceNumber(reader.IsDBNull(1) ? 0 : reader.GetInt64(1)));
        }

        foreach (var stream in streams)
        {
            var id = new StreamId(stream);
            if (!positions.IsKnown(id))
                positions.Found(id, false, SequenceNumber.None);
        }
    }

    private async Task WriteAndCommitAsync(NpgsqlConnection connection, IReadOnlyList<PendingAppend> appends, StreamPositions<bool> positions, AppendResult[] results)
    {
        var eventIds = new List<Guid>();
        var eventStreams = new List<string>();
        var versions = new List<long>();
        var payloads = new List<byte[]>();
        for (var i = 0; i < appends.Count; i++)
        {
            var append = appends[i];
            results[i] = positions.Apply(append, out var sequence);
            if (results[i].IsConflict)
                continue;
            foreach (var data in append.Events)
            {
                eventIds.Add(Guid.CreateVersion7());
                eventStreams.Add(append.Stream.Value);
                versions.Add(sequence.Value);
                payloads.Add(AnyPayload.Encode(data.TypeUrl, data.Data.Span));
                sequence = sequence.Next;
            }
        }

        await using var batch = new NpgsqlBatch(connection);
        if (eventIds.Count > 0)
        {
            batch.BatchCommands.Add(JournalSql.Command(
                sql.InsertEvents,
                (NpgsqlDbType.Array | NpgsqlDbType.Uuid, eventIds.ToArray()),
                (NpgsqlDbType.Array | NpgsqlDbType.Varchar, eventStreams.ToArray()),
                (NpgsqlDbType.Array | NpgsqlDbType.Bigint, versions.ToArray()),
                (NpgsqlDbType.Array | NpgsqlDbType.Bytea, payloads.ToArray()),
                (NpgsqlDbType.Varchar, JournalEvent.MartenTypeName),
                (NpgsqlDbType.Varchar, JournalEvent.DotNetTypeName)));
            var changed = positions.Changed().ToArray();
            batch.BatchCommands.Add(JournalSql.Command(
                sql.UpdateStreams,
                (NpgsqlDbType.Array | NpgsqlDbType.Varchar, changed.Select(c => c.Stream).ToArray()),
                (NpgsqlDbType.Array | NpgsqlDbType.Bigint, changed.Select(c => c.Last.Value).ToArray())));
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
