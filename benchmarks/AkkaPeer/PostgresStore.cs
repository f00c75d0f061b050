using Npgsql;

namespace Cloudstate.Es.Benchmarks.AkkaPeer;

/// <summary>The schema akka_peer in PostgreSQL, dropped and created at start; the plugin creates its tables in it.</summary>
public sealed class PostgresStore(string connectionString) : JournalStore
{
    private const string PeerSchema = "akka_peer";

    public override string Name => "postgres";

    public override string ConnectionString => connectionString;

    public override string ProviderName => LinqToDB.ProviderName.PostgreSQL15;

    public override string? Schema => PeerSchema;

    // The plugin's default: three write queues.
    public override int DefaultParallelism => 3;

    public override async Task<string> PrepareAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var reset = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {PeerSchema} CASCADE; CREATE SCHEMA {PeerSchema};", connection))
            await reset.ExecuteNonQueryAsync(cancellationToken);
        await using var show = new NpgsqlCommand("SHOW synchronous_commit;", connection);
        var synchronousCommit = await show.ExecuteScalarAsync(cancellationToken);
        return $"postgres {connection.Host}:{connection.Port}/{connection.Database} schema {PeerSchema} (dropped and created), server {connection.PostgreSqlVersion}, synchronous_commit={synchronousCommit}";
    }

    public override ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
