using Cloudstate.Es.Postgres.Testing;
using Cloudstate.Es.Proxy.Storage;
using Cloudstate.Es.TestModel;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using static Cloudstate.Es.Proxy.Tests.ModelRequests;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>
/// The journal's expected sequence as the fence between two activations of one entity, shown without a cluster: two
/// proxies on one PostgreSQL schema, each a node of its own, each holding an activation of the same entity.
/// </summary>
public sealed class FenceTests
{
    [Fact]
    public async Task A_stale_activation_s_append_is_refused_and_its_command_runs_again_on_the_current_state()
    {
        const string schema = "proxy_fence";
        await using var dataSource = TestDatabase.CreateDataSource();
        await TestDatabase.DropSchemaAsync(dataSource, schema);
        var database = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString);
        var store = new PostgresStoreSettings("fence", database.Host!, database.Port, database.Database!, schema, database.Username!, database.Password!);
        await using var userFunction = await ModelUserFunction.StartAsync();
        using var folderA = new TemporaryDirectory();
        using var folderB = new TemporaryDirectory();
        await using var a = await ProxyServer.StartAsync(userFunction.Address, folderA.Path, options => options.Store.Settings = store);
        await using var b = await ProxyServer.StartAsync(userFunction.Address, folderB.Path, options => options.Store.Settings = store);
        var throughA = new Model.ModelClient(a.Channel);
        var throughB = new Model.ModelClient(b.Channel);

        Assert.Equal("a", (await throughA.ProcessAsync(Of("shared", Emit("a")))).Message);
        // B activates the entity too, replays "a" and writes after it: A's activation is now behind the stream.
        Assert.Equal("ab", (await throughB.ProcessAsync(Of("shared", Emit("b")))).Message);
        // A's stale activation (state "a") emits "c" at sequence 2, which B took: the append is refused, the activation
        // stops, and the command runs again on a fresh activation that replays "ab".
        var answer = (await throughA.ProcessAsync(Of("shared", Emit("c")))).Message;

        Assert.Equal("abc", answer);
        Assert.Equal(["a", "b", "c"], await EventsAsync(dataSource, schema, "model|shared"));
    }

    private static async Task<List<string>> EventsAsync(NpgsqlDataSource dataSource, string schema, string stream)
    {
        await using var command = dataSource.CreateCommand($"SELECT bdata FROM {schema}.mt_events WHERE stream_id = $1 ORDER BY version");
        command.Parameters.AddWithValue(stream);
        var events = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            events.Add(Any.Parser.ParseFrom(reader.GetFieldValue<byte[]>(0)).Unpack<Persisted>().Value);
        return events;
    }
}
