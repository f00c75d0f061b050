using Cloudstate.Es.Samples.ShoppingCart.Api;
using Cloudstate.Es.Samples.ShoppingCart.Domain;
using Cloudstate.Es.Sdk.EventSourced;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ApiCart = Cloudstate.Es.Samples.ShoppingCart.Api.Cart;
using ApiLineItem = Cloudstate.Es.Samples.ShoppingCart.Api.LineItem;
using SnapshotCart = Cloudstate.Es.Samples.ShoppingCart.Domain.Cart;

namespace Cloudstate.Es.Samples.ShoppingCart;

/// <summary>The shopping cart entity: validates commands, emits ItemAdded and ItemRemoved, answers GetCart.</summary>
public sealed class ShoppingCartEntity : EventSourcedEntity<CartState>
{
    public override CartState InitialState(string entityId) => CartState.Empty;

    public override void Define(EventSourcedBehavior<CartState> cart) => cart
        .Command<AddLineItem, Empty>("AddItem", AddItem)
        .Command<RemoveLineItem, Empty>("RemoveItem", RemoveItem)
        .Command<GetShoppingCart, ApiCart>("GetCart", (state, _, _) => ToApi(state))
        .Event<ItemAdded>((state, added) => state.Add(CartLine.FromDomain(added.Item)))
        .Event<ItemRemoved>((state, removed) => state.Remove(removed.ProductId))
        .Snapshot<SnapshotCart>(state => state.ToSnapshot(), CartState.FromSnapshot);

    internal static Empty AddItem(CartState cart, AddLineItem item, CommandContext<CartState> context)
    {
        if (item.Quantity <= 0)
        {
            context.Fail($"Cannot add {item.Quantity} of item {item.ProductId}: the quantity must be at least 1.", StatusCode.InvalidArgument);
        }

        if (string.IsNullOrEmpty(item.ProductId))
        {
            context.Fail("Cannot add an item without a product id.", StatusCode.InvalidArgument);
        }

        context.Emit(new ItemAdded { Item = new CartLine(item.ProductId, item.Name, item.Quantity).ToDomain() });
        return new Empty();
    }

    internal static Empty RemoveItem(CartState cart, RemoveLineItem item, CommandContext<CartState> context)
    {
        if (cart.Find(item.ProductId) is null)
        {
            context.Fail($"Cannot remove item {item.ProductId} because it is not in the cart.", StatusCode.NotFound);
        }

        context.Emit(new ItemRemoved { ProductId = item.ProductId });
        return new Empty();
    }

    internal static ApiCart ToApi(CartState state)
    {
        var cart = new ApiCart();
        cart.Items.AddRange(state.Lines.Select(line => new ApiLineItem { ProductId = line.ProductId, Name = line.Name, Quantity = line.Quantity }));
        return cart;
    }
}
