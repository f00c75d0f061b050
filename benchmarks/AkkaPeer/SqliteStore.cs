using Microsoft.Data.Sqlite;

namespace Cloudstate.Es.Benchmarks.AkkaPeer;

/// <summary>A fresh SQLite file in a temporary folder, through Microsoft.Data.Sqlite ("SQLite.MS"); the folder goes at the end.</summary>
public sealed class SqliteStore : JournalStore
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"akka-peer-{Guid.NewGuid():N}");

    public override string Name => "sqlite";

    public override string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(_folder, "akka.db"),
        Pooling = true,
        DefaultTimeout = 60,
    }.ToString();

    public override string ProviderName => LinqToDB.ProviderName.SQLiteMS;

    public override string? Schema => null;

    // The plugin's docs: SQLite has one writer at a time even in WAL mode, so one write queue.
    public override int DefaultParallelism => 1;

    public override async Task<string> PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // WAL is a property of the file, so every connection the plugin opens later writes through it; it lets the
        // plugin's readers (recovery, highest sequence number) run beside the writer, as our own SQLite journal does.
        var mode = await ScalarAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        var synchronous = await ScalarAsync(connection, "PRAGMA synchronous;", cancellationToken);
        return $"sqlite file {Path.Combine(_folder, "akka.db")} journal_mode={mode} synchronous={synchronous} (2 = FULL)";
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static async Task<string> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }
}
