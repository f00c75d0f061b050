using System.Collections.Immutable;
using Cloudstate.Es.Samples.ShoppingCart.Domain;

namespace Cloudstate.Es.Samples.ShoppingCart;

/// <summary>The cart of one user: its lines in the order products were first added. Immutable.</summary>
public sealed record CartState(ImmutableList<CartLine> Lines)
{
    public static CartState Empty { get; } = new(ImmutableList<CartLine>.Empty);

    public CartLine? Find(string productId) => Lines.Find(line => line.ProductId == productId);

    /// <summary>Adds a quantity of a product; a product already in the cart keeps its place and sums its quantity.</summary>
    public CartState Add(CartLine added) => Find(added.ProductId) is { } existing
        ? this with { Lines = Lines.Replace(existing, existing with { Quantity = existing.Quantity + added.Quantity }) }
        : this with { Lines = Lines.Add(added) };

    public CartState Remove(string productId) => Find(productId) is { } existing ? this with { Lines = Lines.Remove(existing) } : this;

    public Cart ToSnapshot()
    {
        var cart = new Cart();
        cart.Items.AddRange(Lines.Select(line => line.ToDomain()));
        return cart;
    }

    public static CartState FromSnapshot(Cart snapshot) => new(snapshot.Items.Select(CartLine.FromDomain).ToImmutableList());
}

/// <summary>A quantity of one product in a cart.</summary>
public sealed record CartLine(string ProductId, string Name, int Quantity)
{
    public LineItem ToDomain() => new() { ProductId = ProductId, Name = Name, Quantity = Quantity };

    public static CartLine FromDomain(LineItem item) => new(item.ProductId, item.Name, item.Quantity);
}
