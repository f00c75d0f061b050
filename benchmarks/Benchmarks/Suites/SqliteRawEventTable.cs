using Microsoft.Data.Sqlite;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// Events inserted with Microsoft.Data.Sqlite: one prepared INSERT per row, all rows in one transaction, with the
/// journal's durability (WAL, synchronous=FULL) so that the one fsync per commit is paid alike, and the journal's
/// clustering on (stream, seq), so that a round dirties one B-tree page per stream as the journal's batches do.
/// </summary>
internal sealed class SqliteRawEventTable : IRawEventTable
{
    private readonly SqliteConnection connection;
    private readonly SqliteCommand insert;
    private readonly int streams;
    private readonly EventData row;

    public SqliteRawEventTable(string path, int streams, EventData row)
    {
        this.streams = streams;
        this.row = row;
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
                CREATE TABLE raw_events(stream INTEGER NOT NULL, seq INTEGER NOT NULL, type_url TEXT NOT NULL, data BLOB NOT NULL,
                    PRIMARY KEY(stream, seq)) WITHOUT ROWID;
                """;
            create.ExecuteNonQuery();
        }

        insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO raw_events(stream, seq, type_url, data) VALUES ($stream, $seq, $type, $data);";
        insert.Parameters.Add("$stream", SqliteType.Integer);
        insert.Parameters.Add("$seq", SqliteType.Integer);
        insert.Parameters.Add("$type", SqliteType.Text).Value = row.TypeUrl;
        insert.Parameters.Add("$data", SqliteType.Blob).Value = row.Data.ToArray();
        insert.Prepare();
    }

    public Task InsertRoundAsync(long round, CancellationToken cancellationToken)
    {
        using var transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        insert.Parameters[1].Value = round;
        for (var stream = 0; stream < streams; stream++)
        {
            insert.Parameters[0].Value = stream;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        insert.Dispose();
        connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
