using Npgsql;
using NpgsqlTypes;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// Events inserted with plain Npgsql into a table of the benchmark's own: all rows of a round in one multi-row
/// INSERT over unnest'ed arrays, one statement (so one transaction) and one round trip. Binary COPY of the same rows
/// measured the same within noise (the commit's WAL flush dominates) and takes two round trips, so INSERT it is.
/// </summary>
internal sealed class PostgresRawEventTable : IRawEventTable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly string schema;
    private readonly string[] streamIds;
    private readonly string[] types;
    private readonly byte[][] payloads;

    private PostgresRawEventTable(NpgsqlDataSource dataSource, string schema, int streams, EventData row)
    {
        this.dataSource = dataSource;
        this.schema = schema;
        streamIds = Enumerable.Range(0, streams).Select(s => $"raw|w{s}").ToArray();
        types = Enumerable.Repeat(row.TypeUrl, streams).ToArray();
        payloads = Enumerable.Repeat(row.Data.ToArray(), streams).ToArray();
    }

    /// <summary>Creates the table <c>raw_events</c> in <paramref name="schema"/>, which must exist.</summary>
    public static async Task<PostgresRawEventTable> CreateAsync(NpgsqlDataSource dataSource, string schema, int streams, EventData row, CancellationToken cancellationToken)
    {
        await using var create = dataSource.CreateCommand($"""
            CREATE TABLE {schema}.raw_events(stream_id varchar NOT NULL, version bigint NOT NULL, type varchar NOT NULL, data bytea NOT NULL,
                PRIMARY KEY(stream_id, version))
            """);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return new PostgresRawEventTable(dataSource, schema, streams, row);
    }

    public async Task InsertRoundAsync(long round, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand($"""
            INSERT INTO {schema}.raw_events(stream_id, version, type, data)
            SELECT s, $2, t, d FROM unnest($1::varchar[], $3::varchar[], $4::bytea[]) AS r(s, t, d)
            """);
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar, Value = streamIds });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = round });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar, Value = types });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = payloads });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    // The data source belongs to the benchmark.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
