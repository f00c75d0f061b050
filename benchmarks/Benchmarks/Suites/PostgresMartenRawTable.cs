using Cloudstate.Es.Journal.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// The fair ceiling of the PostgreSQL journal: the rows its group commit writes, in Marten's own tables with their
/// constraints (the unique (stream, version) index, the key of <c>mt_streams</c>, the events' foreign key to their
/// stream), written straight through Npgsql: per round, one statement that moves every stream's version and inserts
/// its event, in one transaction and one round trip, with none of the journal's checks (no expected sequence, no
/// locks). Beside the bare table of <see cref="PostgresRawEventTable"/>, it shows what Marten's schema costs.
/// </summary>
internal sealed class PostgresMartenRawTable : IRawEventTable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly string schema;
    private readonly string[] streamIds;
    private readonly byte[][] payloads;

    private PostgresMartenRawTable(NpgsqlDataSource dataSource, string schema, int streams, EventData row)
    {
        this.dataSource = dataSource;
        this.schema = schema;
        streamIds = Enumerable.Range(0, streams).Select(s => $"raw|w{s}").ToArray();
        payloads = Enumerable.Repeat(row.Data.ToArray(), streams).ToArray();
    }

    /// <summary>Installs Marten's tables in <paramref name="schema"/>, which must exist, as the journal would.</summary>
    public static async Task<PostgresMartenRawTable> CreateAsync(NpgsqlDataSource dataSource, string schema, int streams, EventData row, CancellationToken cancellationToken)
    {
        await (await PostgresJournal.OpenAsync(new PostgresJournalOptions(dataSource) { Schema = schema }, cancellationToken)).DisposeAsync();
        return new PostgresMartenRawTable(dataSource, schema, streams, row);
    }

    public async Task InsertRoundAsync(long round, CancellationToken cancellationToken)
    {
        // The streams' rows first (the events' foreign key is checked at the end of the statement either way).
        await using var insert = dataSource.CreateCommand($$"""
            WITH moved AS (
                INSERT INTO {{schema}}.mt_streams (id, version, timestamp, created)
                SELECT s, $2, now(), now() FROM unnest($1::varchar[]) AS r(s)
                ON CONFLICT (id) DO UPDATE SET version = excluded.version, timestamp = excluded.timestamp)
            INSERT INTO {{schema}}.mt_events (seq_id, id, stream_id, version, data, bdata, type, timestamp, mt_dotnet_type, is_archived)
            SELECT nextval('{{schema}}.mt_events_sequence'), e.id, e.s, $2, '{}'::jsonb, e.d, 'cloudstate_event', now(), 'raw', false
            FROM unnest($1::varchar[], $3::uuid[], $4::bytea[]) AS e(s, id, d)
            """);
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar, Value = streamIds });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = round });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid, Value = streamIds.Select(_ => Guid.CreateVersion7()).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = payloads });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    // The data source belongs to the benchmark.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
