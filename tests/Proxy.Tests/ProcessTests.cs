using Cloudstate.Es.Samples.ShoppingCart.Api;
using Cloudstate.Es.TestModel;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>The proxy and user functions as separate processes: SIGKILL, and the official JavaScript support library.</summary>
public sealed class ProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static ChildProcess StartProxy(string userFunction, int port, string data) =>
        ChildProcess.StartProxy(["--user-function", userFunction, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", data]);

    private static Task AddAsync(ShoppingCart.ShoppingCartClient cart, string user, string product, int quantity) =>
        cart.AddItemAsync(new AddLineItem { UserId = user, ProductId = product, Name = product, Quantity = quantity }).ResponseAsync;

    [Fact]
    public async Task Acknowledged_commands_survive_a_SIGKILL_of_the_proxy()
    {
        using var data = new TemporaryDirectory();
        await using var userFunction = await ModelUserFunction.StartAsync(register: c =>
            c.AddEventSourcedEntity<Samples.ShoppingCart.ShoppingCartEntity>(ShoppingCart.Descriptor, e => e.PersistenceId = "shopping-cart"));
        var port = ChildProcess.FreePort();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var cart = new ShoppingCart.ShoppingCartClient(channel);

        await using (var proxy = StartProxy(userFunction.Address, port, data.Path))
        {
            await proxy.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{port}", StartTimeout);
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => AddAsync(cart, $"user-{i % 4}", $"item-{i}", i + 1)));
            await proxy.KillAsync();
        }

        await using var restarted = StartProxy(userFunction.Address, port, data.Path);
        await restarted.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{port}", StartTimeout);
        for (var user = 0; user < 4; user++)
        {
            var items = (await cart.GetCartAsync(new GetShoppingCart { UserId = $"user-{user}" })).Items;
            var expected = Enumerable.Range(0, 20).Where(i => i % 4 == user).Select(i => ($"item-{i}", i + 1)).OrderBy(x => x.Item1);
            Assert.Equal(expected, items.Select(i => (i.ProductId, i.Quantity)).OrderBy(x => x.ProductId));
        }
    }

    [Fact]
    public async Task The_official_javascript_support_library_serves_the_cart_behind_the_proxy()
    {
        var folder = Path.Combine(ChildProcess.JavaScriptPeers(), "shopping-cart");
        var port = ChildProcess.FreePort();
        await using var userFunction = ChildProcess.Start("node", ["index.js"], folder, new Dictionary<string, string> { ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var data = new TemporaryDirectory();
        await using var proxy = await ProxyServer.StartAsync($"127.0.0.1:{port}", data.Path);
        var cart = new ShoppingCart.ShoppingCartClient(proxy.Channel);

        await AddAsync(cart, "js-user", "apple", 2);
        await AddAsync(cart, "js-user", "pear", 1);
        await AddAsync(cart, "js-user", "apple", 3);
        var items = (await cart.GetCartAsync(new GetShoppingCart { UserId = "js-user" })).Items;
        var negative = await Assert.ThrowsAsync<RpcException>(() => AddAsync(cart, "js-user", "apple", -1));
        var missing = await Assert.ThrowsAsync<RpcException>(() => cart.RemoveItemAsync(new RemoveLineItem { UserId = "js-user", ProductId = "kiwi" }).ResponseAsync);

        Assert.Equal([("apple", 5), ("pear", 1)], items.Select(i => (i.ProductId, i.Quantity)));
        // npm cloudstate cannot set Failure.grpc_status_code: its failures stay UNKNOWN, and HTTP 500 with code 2.
        Assert.Equal((StatusCode.Unknown, "Cannot add -1 of item apple: the quantity must be at least 1."), (negative.StatusCode, negative.Status.Detail));
        Assert.Equal((StatusCode.Unknown, "Cannot remove item kiwi because it is not in the cart."), (missing.StatusCode, missing.Status.Detail));
        using var http = new HttpClient { BaseAddress = proxy.Address };
        using var refused = await http.PostAsync("/cart/js-user/items/kiwi/remove", null);
        using var body = System.Text.Json.JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal((System.Net.HttpStatusCode.InternalServerError, 2, "Cannot remove item kiwi because it is not in the cart."),
            (refused.StatusCode, body.RootElement.GetProperty("code").GetInt32(), body.RootElement.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Commands_with_headers_reach_the_javascript_library_that_cannot_read_them_and_are_answered_as_usual()
    {
        // npm cloudstate 0.0.3's entity.proto has no Command.metadata nor Reply.metadata: it skips the field and replies without any.
        var folder = Path.Combine(ChildProcess.JavaScriptPeers(), "shopping-cart");
        var port = ChildProcess.FreePort();
        await using var userFunction = ChildProcess.Start("node", ["index.js"], folder, new Dictionary<string, string> { ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var data = new TemporaryDirectory();
        await using var proxy = await ProxyServer.StartAsync($"127.0.0.1:{port}", data.Path);
        var cart = new ShoppingCart.ShoppingCartClient(proxy.Channel);
        using var http = new HttpClient { BaseAddress = proxy.Address };

        using var add = cart.AddItemAsync(
            new AddLineItem { UserId = "js-meta", ProductId = "apple", Name = "Apple", Quantity = 2 },
            new Metadata { { "x-echo-color", "blue" }, { "x-trace-bin", new byte[] { 1, 2, 3 } } });
        await add.ResponseAsync;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/carts/js-meta");
        request.Headers.Add("x-echo-color", "red");
        using var response = await http.SendAsync(request);

        Assert.DoesNotContain(await add.ResponseHeadersAsync, e => e.Key.StartsWith("x-", StringComparison.Ordinal));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Contains("apple", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("x-", StringComparison.OrdinalIgnoreCase));
    }
}
