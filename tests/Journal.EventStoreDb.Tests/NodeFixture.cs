using Cloudstate.Es.EventStoreDb.Testing;
using Xunit;

namespace Cloudstate.Es.Journal.EventStoreDb.Tests;

/// <summary>One in-memory EventStoreDB node for the test classes of the collection; each journal takes a stream prefix of its own.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public EventStoreDbServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await EventStoreDbServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A client of the node whose streams no other journal sees.</summary>
    public EventStoreDbNode Connect(Func<EventStoreDbOptions, EventStoreDbOptions>? configure = null)
    {
        var options = new EventStoreDbOptions(Server.Address) { StreamPrefix = $"t{Guid.NewGuid():N}-" };
        return new EventStoreDbNode(configure?.Invoke(options) ?? options);
    }
}

[CollectionDefinition(Name)]
public sealed class NodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "EventStoreDB node";
}
