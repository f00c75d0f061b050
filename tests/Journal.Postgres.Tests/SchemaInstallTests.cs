using Cloudstate.Es.Journal.Conformance;
using Cloudstate.Es.Postgres.Testing;
using Npgsql;
using static Cloudstate.Es.Journal.Conformance.TestEvents;

namespace Cloudstate.Es.Journal.Postgres.Tests;

/// <summary>
/// How the journal's append function gets into a schema: on first start, into a schema an earlier version made, over
/// an older body, and with several proxies starting at once. Each test has a schema of its own.
/// </summary>
public sealed class SchemaInstallTests : IAsyncLifetime
{
    private readonly NpgsqlDataSource dataSource = TestDatabase.CreateDataSource();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await dataSource.DisposeAsync();

    [Fact]
    public async Task A_fresh_schema_gets_the_append_function_on_first_start()
    {
        const string schema = "install_fresh";
        await TestDatabase.DropSchemaAsync(dataSource, schema);

        await using var journal = await OpenAsync(schema);
        var result = await journal.AppendAsync(new StreamId("cart|fresh"), SequenceNumber.None, [Tagged("one")], CancellationToken.None);

        Assert.NotNull(await AppendFunctionBodyAsync(schema));
        Assert.Equal(AppendResult.Written(SequenceNumber.First), result);
    }

    [Fact]
    public async Task A_schema_an_earlier_version_made_gains_the_function_on_start_and_its_streams_continue()
    {
        // The earlier version had Marten's tables only and wrote the same rows Marten does.
        const string schema = "install_upgrade";
        var stream = new StreamId("cart|upgraded");
        await TestDatabase.DropSchemaAsync(dataSource, schema);
        await using (var store = MartenEventStore.Create(dataSource, schema))
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            await using var session = store.LightweightSession();
            session.Events.StartStream(stream.Value, new JournalEvent(TypeUrl, "before-upgrade"u8.ToArray()));
            await session.SaveChangesAsync();
        }

        Assert.Null(await AppendFunctionBodyAsync(schema));

        await using var journal = await OpenAsync(schema);
        var result = await journal.AppendAsync(stream, SequenceNumber.First, [Tagged("after-upgrade")], CancellationToken.None);

        Assert.Equal(AppendResult.Written(new SequenceNumber(2)), result);
        Assert.Equal(["before-upgrade", "after-upgrade"], (await journal.ReadAllAsync(stream)).Select(TagOf));
    }

    [Fact]
    public async Task An_older_body_of_the_function_is_replaced_on_start()
    {
        const string schema = "install_replace";
        await TestDatabase.DropSchemaAsync(dataSource, schema);
        await MartenEventStore.ApplySchemaAsync(dataSource, schema, CancellationToken.None);
        await using (var older = dataSource.CreateCommand($"""
            CREATE OR REPLACE FUNCTION {schema}.{JournalSql.AppendFunctionName}(
                streams varchar[], append_stream integer[], append_expected bigint[], append_count integer[],
                event_ids uuid[], event_data bytea[], event_type varchar, dotnet_type varchar,
                OUT conflicts boolean[], OUT lasts bigint[])
            LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the older body'; END $$
            """))
            await older.ExecuteNonQueryAsync();
        Assert.Contains("the older body", await AppendFunctionBodyAsync(schema), StringComparison.Ordinal);

        await using var journal = await OpenAsync(schema);
        var result = await journal.AppendAsync(new StreamId("cart|replaced"), SequenceNumber.None, [Tagged("one")], CancellationToken.None);

        Assert.Equal(AppendResult.Written(SequenceNumber.First), result);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Proxies_starting_together_on_one_schema_all_start(bool schemaExists)
    {
        var schema = schemaExists ? "install_together" : "install_together_fresh";
        await TestDatabase.DropSchemaAsync(dataSource, schema);
        if (schemaExists)
            await MartenEventStore.ApplySchemaAsync(dataSource, schema, CancellationToken.None);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var opening = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await OpenAsync(schema);
        })).ToArray();
        start.SetResult();
        var journals = await Task.WhenAll(opening);
        var results = await Task.WhenAll(journals.Select((journal, n) =>
            journal.AppendAsync(new StreamId($"cart|together-{n}"), SequenceNumber.None, [Tagged("one")], CancellationToken.None).AsTask()));

        foreach (var journal in journals)
            await journal.DisposeAsync();
        Assert.All(results, result => Assert.Equal(AppendResult.Written(SequenceNumber.First), result));
    }

    private Task<PostgresJournal> OpenAsync(string schema) =>
        PostgresJournal.OpenAsync(new PostgresJournalOptions(dataSource) { Schema = schema }, CancellationToken.None);

    /// <summary>The source of the append function in <paramref name="schema"/>, null when it has none.</summary>
    private async Task<string?> AppendFunctionBodyAsync(string schema)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = $2");
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(JournalSql.AppendFunctionName);
        return await command.ExecuteScalarAsync() as string;
    }
}
