using Npgsql;

namespace Cloudstate.Es.Benchmarks;

/// <summary>The PostgreSQL the benchmarks write to: the local test database unless CLOUDSTATE_BENCH_POSTGRES names another.</summary>
internal static class BenchDatabase
{
    public const string Variable = "CLOUDSTATE_BENCH_POSTGRES";

    public const string Local = "Host=127.0.0.1;Port=5432;Username=cloudstate;Password=cloudstate;Database=cloudstate";

    // Read from the environment so that benchmark processes BenchmarkDotNet starts see the same database as the host.
    public static string ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : Local;

    /// <summary>Null when a connection opens within a few seconds, otherwise why it did not.</summary>
    public static async Task<string?> UnreachableBecauseAsync()
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 3, Pooling = false };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or TimeoutException)
        {
            return e.Message;
        }
    }
}
