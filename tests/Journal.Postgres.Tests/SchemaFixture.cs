using Cloudstate.Es.Postgres.Testing;
using Npgsql;

namespace Cloudstate.Es.Journal.Postgres.Tests;

/// <summary>
/// A schema of the test database for one test class, dropped and made anew when the class starts, so classes run in
/// parallel without seeing each other. Each test class derives one with its own schema name.
/// </summary>
public abstract class SchemaFixture(string schema) : IAsyncLifetime
{
    public string Schema { get; } = schema;

    public NpgsqlDataSource DataSource { get; } = TestDatabase.CreateDataSource();

    public async Task InitializeAsync()
    {
        await TestDatabase.DropSchemaAsync(DataSource, Schema);
        await MartenEventStore.ApplySchemaAsync(DataSource, Schema, CancellationToken.None);
    }

    public async Task DisposeAsync() => await DataSource.DisposeAsync();

    /// <summary>A journal on the schema, emptied first: a test starts with no streams.</summary>
    public async Task<PostgresJournal> EmptyJournalAsync(Func<PostgresJournalOptions, PostgresJournalOptions>? configure = null)
    {
        await using (var truncate = DataSource.CreateCommand($"TRUNCATE {Schema}.mt_events, {Schema}.mt_streams"))
            await truncate.ExecuteNonQueryAsync();
        var options = new PostgresJournalOptions(DataSource) { Schema = Schema };
        return await PostgresJournal.OpenAsync(configure?.Invoke(options) ?? options, CancellationToken.None);
    }
}
