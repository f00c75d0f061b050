using Cloudstate.Es.Samples.ShoppingCart;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Cloudstate.Es.TestModel;
using Google.Protobuf;
using Grpc.Core;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>The sample cart behind the proxy, both real servers on loopback.</summary>
public sealed class CartThroughProxyTests : IAsyncLifetime
{
    private readonly TemporaryDirectory data = new();
    private ModelUserFunction userFunction = null!;
    private ProxyServer proxy = null!;

    private ShoppingCart.ShoppingCartClient Cart => new(proxy.Channel);

    public async Task InitializeAsync()
    {
        userFunction = await ModelUserFunction.StartAsync(register: c => c.AddEventSourcedEntity<ShoppingCartEntity>(ShoppingCart.Descriptor, e => e.PersistenceId = "shopping-cart"));
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path, o => o.Frontend.MaxMessageSize = 4096);
    }

    public async Task DisposeAsync()
    {
        await proxy.DisposeAsync();
        await userFunction.DisposeAsync();
        data.Dispose();
    }

    private Task<Google.Protobuf.WellKnownTypes.Empty> Add(string user, string product, int quantity, string name = "") =>
        Cart.AddItemAsync(new AddLineItem { UserId = user, ProductId = product, Name = name, Quantity = quantity }).ResponseAsync;

    [Fact]
    public async Task Items_added_through_the_proxy_are_summed_in_the_cart()
    {
        await Add("alice", "apple", 2, "Apple");
        await Add("alice", "pear", 1, "Pear");
        await Add("alice", "apple", 3, "Apple");

        var cart = await Cart.GetCartAsync(new GetShoppingCart { UserId = "alice" });

        Assert.Equal([("apple", 5), ("pear", 1)], cart.Items.Select(i => (i.ProductId, i.Quantity)));
    }

    [Fact]
    public async Task A_user_failure_has_the_status_the_cart_chose_with_the_message_and_persists_nothing()
    {
        await Add("bob", "apple", 1);

        var error = await Assert.ThrowsAsync<RpcException>(() => Add("bob", "apple", -4));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("Cannot add -4 of item apple: the quantity must be at least 1.", error.Status.Detail);
        var cart = await Cart.GetCartAsync(new GetShoppingCart { UserId = "bob" });
        Assert.Equal(1, Assert.Single(cart.Items).Quantity);
    }

    [Fact]
    public async Task A_request_without_an_entity_key_is_INVALID_ARGUMENT()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Add("", "apple", 1));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("user_id", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_request_is_INVALID_ARGUMENT()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Raw("com.example.shoppingcart.ShoppingCart", "AddItem", [0x0A, 0x05, 0x61]));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Theory]
    [InlineData("com.example.shoppingcart.ShoppingCart", "Checkout")]
    [InlineData("com.example.shoppingcart.NoSuchService", "AddItem")]
    public async Task An_unknown_method_is_UNIMPLEMENTED(string service, string method)
    {
        var request = new GetShoppingCart { UserId = "carol" }.ToByteArray();

        var error = await Assert.ThrowsAsync<RpcException>(() => Raw(service, method, request));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task A_message_over_the_maximum_size_is_RESOURCE_EXHAUSTED_and_changes_nothing()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Add("dave", "apple", 1, new string('x', 5000)));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Empty((await Cart.GetCartAsync(new GetShoppingCart { UserId = "dave" })).Items);
    }

    [Fact]
    public async Task Two_entity_services_of_one_user_function_are_served_side_by_side()
    {
        var model = new Model.ModelClient(proxy.Channel);

        var reply = await model.ProcessAsync(new Request { Id = "m1", Actions = { new RequestAction { Emit = new Emit { Value = "A" } } } });
        await Add("m1", "apple", 1);

        Assert.Equal("A", reply.Message);
        Assert.Single((await Cart.GetCartAsync(new GetShoppingCart { UserId = "m1" })).Items);
    }

    private Task<byte[]> Raw(string service, string method, byte[] request)
    {
        var marshaller = Marshallers.Create(bytes => bytes, bytes => bytes);
        var call = new Method<byte[], byte[]>(MethodType.Unary, service, method, marshaller, marshaller);
        return proxy.Channel.CreateCallInvoker().AsyncUnaryCall(call, null, new CallOptions(), request).ResponseAsync;
    }
}
