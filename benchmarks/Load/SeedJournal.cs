using Cloudstate.Es.Journal;
using Cloudstate.Es.Journal.EventStoreDb;
using Cloudstate.Es.Journal.Postgres;
using Cloudstate.Es.Journal.Sqlite;
using Npgsql;

namespace Cloudstate.Es.Load;

/// <summary>
/// The journal a seed writes into, opened as the proxy opens it so the proxy reads back what was seeded: the SQLite
/// journal.db in the proxy's --data directory, or Marten's tables in the PostgreSQL schema of the proxy's store file.
/// </summary>
internal sealed class SeedJournal : IAsyncDisposable
{
    private readonly NpgsqlDataSource? dataSource;
    private readonly EventStoreDbNode? node;

    private SeedJournal(IJournal journal, string where, NpgsqlDataSource? dataSource = null, EventStoreDbNode? node = null)
    {
        Journal = journal;
        Where = where;
        this.dataSource = dataSource;
        this.node = node;
    }

    public IJournal Journal { get; }

    /// <summary>Which journal this is, for the report line; never the connection string, which holds the password.</summary>
    public string Where { get; }

    /// <summary>"--journal sqlite" (default) with "--data DIR", "--journal postgres" with "--postgres CONNECTION-STRING" and
    /// "--schema NAME", or "--journal eventstoredb" with "--eventstoredb http://HOST:PORT".</summary>
    public static async Task<SeedJournal> OpenAsync(Arguments arguments)
    {
        switch (arguments.Text("--journal", "sqlite"))
        {
            case "sqlite":
                var data = arguments.Text("--data", "data");
                Directory.CreateDirectory(data);
                var sqlite = new SqliteJournal(new SqliteJournalOptions(Path.Combine(data, "journal.db")));
                return new SeedJournal(sqlite, $"SQLite {Path.Combine(data, "journal.db")}");
            case "postgres":
                var connection = arguments.Find("--postgres") ?? throw new ArgumentException("--journal postgres needs --postgres CONNECTION-STRING");
                var schema = arguments.Text("--schema", "public");
                var dataSource = NpgsqlDataSource.Create(connection);
                try
                {
                    var postgres = await PostgresJournal.OpenAsync(new PostgresJournalOptions(dataSource) { Schema = schema }, CancellationToken.None);
                    return new SeedJournal(postgres, $"PostgreSQL schema {schema}", dataSource);
                }
                catch
                {
                    await dataSource.DisposeAsync();
                    throw;
                }

            case "eventstoredb":
                var address = arguments.Find("--eventstoredb") ?? throw new ArgumentException("--journal eventstoredb needs --eventstoredb http://HOST:PORT");
                var node = new EventStoreDbNode(new EventStoreDbOptions(new Uri(address)));
                try
                {
                    return new SeedJournal(await EventStoreDbJournal.OpenAsync(node, CancellationToken.None), $"EventStoreDB {address}", node: node);
                }
                catch
                {
                    node.Dispose();
                    throw;
                }

            case var other:
                throw new ArgumentException($"--journal: '{other}' is not sqlite, postgres or eventstoredb");
        }
    }

    /// <summary>Lets the last appends commit, then closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Journal is IAsyncDisposable journal)
            await journal.DisposeAsync();
        if (dataSource is not null)
            await dataSource.DisposeAsync();
        node?.Dispose();
    }
}
