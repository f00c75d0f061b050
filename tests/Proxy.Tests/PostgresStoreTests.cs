using System.Globalization;
using Cloudstate.Es.Postgres.Testing;
using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Proxy.Storage;
using Cloudstate.Es.TestModel;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using static Cloudstate.Es.Proxy.Tests.ModelRequests;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>The proxy on a PostgreSQL store: SIGKILL, the server going away and coming back, bad credentials.</summary>
public sealed class PostgresStoreTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Acknowledged_commands_survive_a_SIGKILL_of_the_proxy_exactly_once_and_in_order()
    {
        const string schema = "proxy_sigkill";
        await using var dataSource = TestDatabase.CreateDataSource();
        await TestDatabase.DropSchemaAsync(dataSource, schema);
        var database = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString);
        using var folder = new TemporaryDirectory();
        var store = StoreFile(folder, database.Host!, database.Port, database.Database!, schema);
        var environment = new Dictionary<string, string> { ["TEST_PGUSER"] = database.Username!, ["TEST_PGPASSWORD"] = database.Password! };
        await using var userFunction = await ModelUserFunction.StartAsync();
        var port = ChildProcess.FreePort();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var model = new Model.ModelClient(channel);
        IReadOnlyCollection<string> acknowledged, failuresBeforeKill;
        await using (var proxy = StartProxy(userFunction.Address, port, store, environment))
        {
            await proxy.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{port}", StartTimeout);
            (acknowledged, failuresBeforeKill) = await KillUnderLoad.RunAsync(model, proxy, StartTimeout);
        }

        Assert.Empty(failuresBeforeKill);
        await using var restarted = StartProxy(userFunction.Address, port, store, environment);
        await restarted.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{port}", StartTimeout);
        var journal = await ReadJournalAsync(dataSource, schema);
        var stored = journal.Values.SelectMany(events => events).ToList();
        Assert.All(acknowledged, value => Assert.Single(stored, value));
        Assert.Equal(stored.Count, stored.Distinct().Count());
        for (var entity = 0; entity < KillUnderLoad.Entities; entity++)
        {
            // The restarted proxy replays each entity from the journal and goes on from there.
            var state = (await model.ProcessAsync(Of($"entity-{entity}", Emit("<after>")))).Message;
            Assert.Equal(string.Concat(journal[$"model|entity-{entity}"]) + "<after>", state);
        }
    }

    [Fact]
    public async Task While_PostgreSQL_is_down_commands_fail_UNAVAILABLE_and_after_it_returns_they_succeed_with_nothing_lost()
    {
        await using var server = await PrivateServer.StartAsync();
        await using var userFunction = await ModelUserFunction.StartAsync();
        using var folder = new TemporaryDirectory();
        await using var proxy = await ProxyServer.StartAsync(userFunction.Address, folder.Path, options =>
            options.Store.Settings = new PostgresStoreSettings("restart", "127.0.0.1", server.Port, "postgres", "public", "cloudstate", server.Password));
        var model = new Model.ModelClient(proxy.Channel);
        await model.ProcessAsync(Of("active", Emit("a")));

        await server.StopAsync();
        var whileDown = await Assert.ThrowsAsync<RpcException>(async () => await model.ProcessAsync(Of("active", Emit("lost"))));
        var newWhileDown = await Assert.ThrowsAsync<RpcException>(async () => await model.ProcessAsync(Of("new", Emit("lost"))));
        await server.StartAgainAsync();
        var afterwards = await AnswerOnceBackAsync(model, Of("active", Emit("b")));
        var newAfterwards = (await model.ProcessAsync(Of("new", Emit("c")))).Message;

        Assert.Equal((StatusCode.Unavailable, StatusCode.Unavailable), (whileDown.StatusCode, newWhileDown.StatusCode));
        Assert.Equal(("ab", "c"), (afterwards, newAfterwards));
        await using var dataSource = TestDatabase.CreateDataSource(server.ConnectionString);
        var journal = await ReadJournalAsync(dataSource, "public");
        Assert.Equal(["a", "b"], journal["model|active"]);
        Assert.Equal(["c"], journal["model|new"]);
    }

    [Fact]
    public async Task The_proxy_waits_for_an_unreachable_database_then_serves_and_never_prints_the_password()
    {
        const string password = "pw-7f3c9-do-not-print";
        await using var server = await PrivateServer.StartAsync(password);
        await server.StopAsync();
        await using var userFunction = await ModelUserFunction.StartAsync();
        using var folder = new TemporaryDirectory();
        var store = StoreFile(folder, "127.0.0.1", server.Port, "postgres", "public");
        var port = ChildProcess.FreePort();
        await using var proxy = StartProxy(userFunction.Address, port, store, new Dictionary<string, string> { ["TEST_PGUSER"] = "cloudstate", ["TEST_PGPASSWORD"] = password });

        await proxy.WaitForOutputAsync("is unreachable", StartTimeout);
        await server.StartAgainAsync();
        await proxy.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{port}", StartTimeout);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var state = (await new Model.ModelClient(channel).ProcessAsync(Of("waited", Emit("x")))).Message;

        Assert.Equal("x", state);
        Assert.Contains($"127.0.0.1:{server.Port}/postgres", proxy.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(password, proxy.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_credentials_stop_the_start_with_a_clear_message_and_no_secret()
    {
        const string wrong = "wrong-pw-51d0e";
        await using var server = await PrivateServer.StartAsync();
        await using var userFunction = await ModelUserFunction.StartAsync();
        using var folder = new TemporaryDirectory();
        var store = StoreFile(folder, "127.0.0.1", server.Port, "postgres", "public");
        await using var proxy = StartProxy(userFunction.Address, ChildProcess.FreePort(), store, new Dictionary<string, string> { ["TEST_PGUSER"] = "cloudstate", ["TEST_PGPASSWORD"] = wrong });

        var exitCode = await proxy.WaitForExitAsync(StartTimeout);

        Assert.Equal(2, exitCode);
        Assert.Contains("The store 'test-store'", proxy.Output, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", proxy.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, proxy.Output, StringComparison.Ordinal);
    }

    private static string StoreFile(TemporaryDirectory folder, string host, int port, string database, string schema)
    {
        var path = Path.Combine(folder.Path, "store.yaml");
        File.WriteAllText(path, $"""
            apiVersion: cloudstate.io/v1alpha1
            kind: StatefulStore
            metadata: {"{"} name: test-store {"}"}
            spec:
              postgres:
                host: {host}
                port: {port}
                database: {database}
                schema: {schema}
                credentials: {"{"} usernameEnv: TEST_PGUSER, passwordEnv: TEST_PGPASSWORD {"}"}
            """);
        return path;
    }

    private static ChildProcess StartProxy(string userFunction, int port, string store, IReadOnlyDictionary<string, string> environment) =>
        ChildProcess.StartProxy(["--user-function", userFunction, "--port", port.ToString(CultureInfo.InvariantCulture), "--store", store], environment);

    /// <summary>Every stream's Persisted values in sequence order, checking that the sequence numbers run 1, 2, 3...</summary>
    private static async Task<Dictionary<string, List<string>>> ReadJournalAsync(NpgsqlDataSource dataSource, string schema)
    {
        var streams = new Dictionary<string, List<string>>();
        await using var command = dataSource.CreateCommand($"SELECT stream_id, version, bdata FROM {schema}.mt_events ORDER BY stream_id, version");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var stream = reader.GetString(0);
            if (!streams.TryGetValue(stream, out var events))
                streams[stream] = events = [];
            Assert.True(reader.GetInt64(1) == events.Count + 1, $"{stream}: sequence {reader.GetInt64(1)} follows {events.Count}");
            events.Add(Any.Parser.ParseFrom(reader.GetFieldValue<byte[]>(2)).Unpack<Persisted>().Value);
        }

        return streams;
    }
}
