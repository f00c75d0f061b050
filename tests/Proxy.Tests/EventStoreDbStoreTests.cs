using System.Globalization;
using Cloudstate.Es.EventStoreDb.Testing;
using Cloudstate.Es.Journal;
using Cloudstate.Es.Journal.EventStoreDb;
using Cloudstate.Es.Proxy.Storage;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Cloudstate.Es.TestModel;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using static Cloudstate.Es.Proxy.Tests.ModelRequests;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>The proxy on a real EventStoreDB node: both front ends, SIGKILL of the proxy, the node going away and coming back.</summary>
public sealed class EventStoreDbStoreTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_cart_answers_gRPC_and_HTTP_from_EventStoreDB_and_its_events_are_streams_there()
    {
        await using var node = await EventStoreDbServer.StartAsync();
        await using var userFunction = await ModelUserFunction.StartAsync(register: c =>
            c.AddEventSourcedEntity<Samples.ShoppingCart.ShoppingCartEntity>(ShoppingCart.Descriptor, e => e.PersistenceId = "shopping-cart"));
        using var data = new TemporaryDirectory();
        await using var proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path, options => options.Store.Settings = Store(node));
        var cart = new ShoppingCart.ShoppingCartClient(proxy.Channel);
        using var http = new HttpClient { BaseAddress = proxy.Address };

        await cart.AddItemAsync(new AddLineItem { UserId = "ada", ProductId = "apple", Name = "Apple", Quantity = 2 });
        using var added = await http.PostAsync("/cart/ada/items/add", new StringContent("""{"productId":"pear","name":"Pear","quantity":3}""", System.Text.Encoding.UTF8, "application/json"));
        using var read = await http.GetAsync("/carts/ada");

        Assert.True(added.IsSuccessStatusCode, $"{(int)added.StatusCode} {await added.Content.ReadAsStringAsync()}");
        var body = await read.Content.ReadAsStringAsync();
        Assert.True(read.IsSuccessStatusCode && body.Contains("apple", StringComparison.Ordinal) && body.Contains("pear", StringComparison.Ordinal), $"{(int)read.StatusCode} {body}");
        var events = await EventsAsync(node, "shopping-cart|ada");
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.EndsWith("ItemAdded", e.TypeUrl, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Acknowledged_commands_survive_a_SIGKILL_of_the_proxy_exactly_once_and_in_order()
    {
        await using var node = await EventStoreDbServer.StartAsync();
        await using var userFunction = await ModelUserFunction.StartAsync();
        using var folder = new TemporaryDirectory();
        var store = StoreFile(folder, node.Port);
        var port = ChildProcess.FreePort();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var model = new Model.ModelClient(channel);
        IReadOnlyCollection<string> acknowledged, failuresBeforeKill;
        await using (var proxy = StartProxy(userFunction.Address, port, store))
        {
            await proxy.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{port}", StartTimeout);
            (acknowledged, failuresBeforeKill) = await KillUnderLoad.RunAsync(model, proxy, StartTimeout);
        }

        Assert.Empty(failuresBeforeKill);
        await using var restarted = StartProxy(userFunction.Address, port, store);
        await restarted.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{port}", StartTimeout);
        for (var entity = 0; entity < KillUnderLoad.Entities; entity++)
        {
            var stored = (await EventsAsync(node, $"model|entity-{entity}")).Select(Value).ToList();
            Assert.Equal(stored.Count, stored.Distinct().Count());
            Assert.All(acknowledged.Where(v => KillUnderLoad.Client(v) % KillUnderLoad.Entities == entity), value => Assert.Contains(value, stored));
            // The restarted proxy replays the entity from the node and goes on from there.
            Assert.Equal(string.Concat(stored) + "<after>", (await model.ProcessAsync(Of($"entity-{entity}", Emit("<after>")))).Message);
        }
    }

    [Fact]
    public async Task The_proxy_waits_for_its_node_and_while_the_node_is_down_commands_fail_UNAVAILABLE_with_nothing_lost()
    {
        await using var node = await EventStoreDbServer.StartAsync(onDisk: true);
        await node.StopAsync();
        await using var userFunction = await ModelUserFunction.StartAsync();
        using var folder = new TemporaryDirectory();
        var port = ChildProcess.FreePort();
        await using var proxy = StartProxy(userFunction.Address, port, StoreFile(folder, node.Port));
        await proxy.WaitForOutputAsync("is unreachable", StartTimeout);
        await node.StartAgainAsync();
        await proxy.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{port}", StartTimeout);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var model = new Model.ModelClient(channel);
        Assert.Equal("a", (await model.ProcessAsync(Of("active", Emit("a")))).Message);

        await node.StopAsync();
        var whileDown = await Assert.ThrowsAsync<RpcException>(async () => await model.ProcessAsync(Of("active", Emit("lost"))));
        var newWhileDown = await Assert.ThrowsAsync<RpcException>(async () => await model.ProcessAsync(Of("new", Emit("lost"))));
        await node.StartAgainAsync();
        var afterwards = await AnswerOnceBackAsync(model, Of("active", Emit("b")));

        Assert.Equal((StatusCode.Unavailable, StatusCode.Unavailable), (whileDown.StatusCode, newWhileDown.StatusCode));
        Assert.Equal("ab", afterwards);
        Assert.Equal(["a", "b"], (await EventsAsync(node, "model|active")).Select(Value));
        Assert.Empty(await EventsAsync(node, "model|new"));
    }

    private static EventStoreDbStoreSettings Store(EventStoreDbServer node) => new("test-store", "127.0.0.1", node.Port, Tls: false, null, null);

    private static async Task<List<StoredEvent>> EventsAsync(EventStoreDbServer server, string stream)
    {
        using var node = new EventStoreDbNode(new EventStoreDbOptions(server.Address));
        await using var journal = await EventStoreDbJournal.OpenAsync(node, CancellationToken.None);
        var events = new List<StoredEvent>();
        await foreach (var stored in journal.ReadAsync(new StreamId(stream), SequenceNumber.First, CancellationToken.None))
        {
            Assert.Equal(events.Count + 1, stored.Sequence.Value);
            events.Add(stored);
        }

        return events;
    }

    private static string Value(StoredEvent stored) => new Any { TypeUrl = stored.TypeUrl, Value = Google.Protobuf.ByteString.CopyFrom(stored.Data.Span) }.Unpack<Persisted>().Value;

    internal static string StoreFile(TemporaryDirectory folder, int port)
    {
        var path = Path.Combine(folder.Path, "store.yaml");
        File.WriteAllText(path, $"""
            apiVersion: cloudstate.io/v1alpha1
            kind: StatefulStore
            metadata: {"{"} name: test-store {"}"}
            spec:
              eventStoreDb: {"{"} host: 127.0.0.1, port: {port}, tls: false {"}"}
            """);
        return path;
    }

    private static ChildProcess StartProxy(string userFunction, int port, string store) =>
        ChildProcess.StartProxy(["--user-function", userFunction, "--port", port.ToString(CultureInfo.InvariantCulture), "--store", store]);
}
