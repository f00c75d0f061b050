using Cloudstate.Es.Samples.ShoppingCart.Api;
using Cloudstate.Es.Samples.ShoppingCart.Domain;
using Cloudstate.Es.Sdk.Testing;
using Google.Protobuf;
using ApiCart = Cloudstate.Es.Samples.ShoppingCart.Api.Cart;
using ApiService = Cloudstate.Es.Samples.ShoppingCart.Api.ShoppingCart;
using SnapshotCart = Cloudstate.Es.Samples.ShoppingCart.Domain.Cart;

namespace Cloudstate.Es.Samples.ShoppingCart.Tests;

public sealed class ShoppingCartEntityTests
{
    private readonly EventSourcedTestKit<CartState> cart = new(new ShoppingCartEntity(), ApiService.Descriptor, "alice");

    private Task<CommandOutcome> Add(string product, int quantity, string name = "") =>
        cart.HandleAsync("AddItem", new AddLineItem { UserId = "alice", ProductId = product, Name = name, Quantity = quantity });

    private Task<CommandOutcome> Remove(string product) =>
        cart.HandleAsync("RemoveItem", new RemoveLineItem { UserId = "alice", ProductId = product });

    private async Task<ApiCart> Get() => (ApiCart)(await cart.HandleAsync("GetCart", new GetShoppingCart { UserId = "alice" })).Reply!;

    [Fact]
    public async Task A_new_cart_is_empty()
    {
        Assert.Empty((await Get()).Items);
    }

    [Fact]
    public async Task Adding_an_item_emits_ItemAdded()
    {
        var outcome = await Add("apple", 2, "Apple");

        var added = Assert.IsType<ItemAdded>(Assert.Single(outcome.Events));
        Assert.Equal(("apple", "Apple", 2), (added.Item.ProductId, added.Item.Name, added.Item.Quantity));
    }

    [Fact]
    public async Task Adding_the_same_product_twice_sums_the_quantities_in_one_line()
    {
        await Add("apple", 2, "Apple");
        await Add("pear", 1, "Pear");
        await Add("apple", 3, "Apple");

        var items = (await Get()).Items;
        Assert.Equal([("apple", 5), ("pear", 1)], items.Select(i => (i.ProductId, i.Quantity)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Adding_a_quantity_below_one_fails_as_INVALID_ARGUMENT_with_a_clear_message_and_no_event(int quantity)
    {
        var outcome = await Add("apple", quantity);

        Assert.Equal($"Cannot add {quantity} of item apple: the quantity must be at least 1.", outcome.Failure);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, outcome.FailureCode);
        Assert.Empty(outcome.Events);
        Assert.Empty(cart.Events);
    }

    [Fact]
    public async Task Removing_an_item_emits_ItemRemoved_and_drops_the_line()
    {
        await Add("apple", 2);

        var outcome = await Remove("apple");

        Assert.Equal("apple", Assert.IsType<ItemRemoved>(Assert.Single(outcome.Events)).ProductId);
        Assert.Empty((await Get()).Items);
    }

    [Fact]
    public async Task Removing_an_item_not_in_the_cart_fails_as_NOT_FOUND()
    {
        var outcome = await Remove("ghost");

        Assert.Equal("Cannot remove item ghost because it is not in the cart.", outcome.Failure);
        Assert.Equal(Grpc.Core.StatusCode.NotFound, outcome.FailureCode);
        Assert.Empty(outcome.Events);
    }

    [Fact]
    public async Task Replaying_the_events_rebuilds_the_same_cart()
    {
        await Add("apple", 2);
        await Add("pear", 4);
        await Remove("apple");
        var before = await Get();

        cart.Restart();

        Assert.Equal(before, await Get());
    }

    [Fact]
    public void A_snapshot_round_trips_the_cart()
    {
        var state = CartState.Empty.Add(new CartLine("apple", "Apple", 2)).Add(new CartLine("pear", "Pear", 1));

        var restored = CartState.FromSnapshot(SnapshotCart.Parser.ParseFrom(state.ToSnapshot().ToByteArray()));

        Assert.Equal(state.Lines, restored.Lines);
    }
}
