using Cloudstate.Es.Journal;
using Cloudstate.Es.Samples.Counter.Domain;
using Cloudstate.Es.Samples.ShoppingCart.Domain;
using Google.Protobuf;

namespace Cloudstate.Es.Load;

/// <summary>The sample entity a verb drives: the shopping cart, or the minimal counter that leaves the proxy's own cost visible.</summary>
internal enum EntityKind
{
    Cart,
    Counter,
}

/// <summary>What the verbs need to know of each sample entity: its names in the journal and its seeded event.</summary>
internal static class EntityKinds
{
    /// <summary>The "--entity cart|counter" option; cart by default, as before the counter existed.</summary>
    public static EntityKind From(Arguments arguments) => arguments.Text("--entity", "cart") switch
    {
        "cart" => EntityKind.Cart,
        "counter" => EntityKind.Counter,
        var other => throw new ArgumentException($"--entity: '{other}' is neither cart nor counter"),
    };

    public static string Name(this EntityKind kind) => kind == EntityKind.Cart ? "cart" : "counter";

    /// <summary>The persistence id the sample registers, which the proxy puts in front of every stream id.</summary>
    public static string PersistenceId(this EntityKind kind) => kind == EntityKind.Cart ? "shopping-cart" : "counter";

    /// <summary>The stream the proxy keeps the instance <paramref name="id"/> in.</summary>
    public static StreamId Stream(this EntityKind kind, string id) => StreamId.For(kind.PersistenceId(), id);

    /// <summary>
    /// The <paramref name="index"/>th seeded event, as the proxy would have journaled it: one item added to the cart
    /// (a hundred products in turn), or the counter incremented by one. Either way the instance counts its events.
    /// </summary>
    public static EventData SeedEvent(this EntityKind kind, int index) => kind == EntityKind.Cart
        ? Pack(new ItemAdded { Item = new LineItem { ProductId = $"p{index % 100}", Name = "item", Quantity = 1 } })
        : Pack(new Incremented { By = 1 });

    private static EventData Pack(IMessage message) => new($"type.googleapis.com/{message.Descriptor.FullName}", message.ToByteArray());
}
