using Npgsql;

namespace Cloudstate.Es.Postgres.Testing;

/// <summary>
/// The local PostgreSQL server the test command starts (scripts/postgres): role and database <c>cloudstate</c>. Set
/// <c>CLOUDSTATE_TEST_POSTGRES</c> to a connection string to use another one.
/// </summary>
public static class TestDatabase
{
    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("CLOUDSTATE_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=5432;Username=cloudstate;Password=cloudstate;Database=cloudstate";

    /// <summary>A data source on the test database; short timeouts so that a missing server fails fast and clearly.</summary>
    public static NpgsqlDataSource CreateDataSource(string? connectionString = null) =>
        new NpgsqlDataSourceBuilder(connectionString ?? ConnectionString) { ConnectionStringBuilder = { Timeout = 5 } }.Build();

    /// <summary>Drops <paramref name="schema"/> with everything in it, so a test class starts from nothing.</summary>
    public static async Task DropSchemaAsync(NpgsqlDataSource dataSource, string schema)
    {
        try
        {
            await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException(
                $"The test PostgreSQL at {new NpgsqlConnectionStringBuilder(ConnectionString).Host} is not reachable ({e.Message}). Run scripts/postgres (scripts/test does).", e);
        }
    }
}
