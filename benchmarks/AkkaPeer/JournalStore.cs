namespace Cloudstate.Es.Benchmarks.AkkaPeer;

/// <summary>The database under the Akka.Persistence.Sql journal and snapshot store: made empty at start, so runs repeat.</summary>
public abstract class JournalStore : IAsyncDisposable
{
    /// <summary>The journal's name in the RESULT lines.</summary>
    public abstract string Name { get; }

    /// <summary>The ADO.NET connection string handed to the plugin.</summary>
    public abstract string ConnectionString { get; }

    /// <summary>The linq2db provider name (a <see cref="LinqToDB.ProviderName"/> constant).</summary>
    public abstract string ProviderName { get; }

    /// <summary>The schema of the plugin's tables, or null for the database's default.</summary>
    public abstract string? Schema { get; }

    /// <summary>The journal's write parallelism when the command line does not name one.</summary>
    public abstract int DefaultParallelism { get; }

    /// <summary>Makes the storage empty and ready; returns a line describing it.</summary>
    public abstract Task<string> PrepareAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    public static JournalStore For(PeerOptions options) => options.Journal switch
    {
        "sqlite" => new SqliteStore(),
        "postgres" => new PostgresStore(options.Postgres),
        _ => throw new ArgumentException($"--journal: '{options.Journal}' is neither sqlite nor postgres"),
    };
}
