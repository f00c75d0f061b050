using System.Reflection;
using Cloudstate.Es.Protocol.EventSourced;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Cloudstate.Es.Sdk.EventSourced;

/// <summary>A registered entity type, independent of its state type: what discovery and the entity streams need.</summary>
internal interface IEntityModel
{
    ServiceDescriptor Service { get; }

    string PersistenceId { get; }

    EventSourcedEntityOptions Options { get; }

    /// <summary>The files declaring the service and every registered event, snapshot and (protobuf) state type, for discovery.</summary>
    IEnumerable<FileDescriptor> Files { get; }

    /// <summary>Starts an instance from its initial state, or from <paramref name="snapshot"/> when there is one.</summary>
    IEntityInstance Start(string entityId, EventSourcedSnapshot? snapshot);
}

/// <summary>One live entity instance on one stream.</summary>
internal interface IEntityInstance
{
    /// <summary>Applies an event replayed from the journal.</summary>
    void Replay(EventSourcedEvent @event);

    /// <summary>Handles one command and builds the reply; throws <see cref="EntityStreamException"/> when the instance is broken.</summary>
    ValueTask<EventSourcedReply> HandleAsync(Protocol.Command command);
}

internal sealed class EntityModel<TState>(
    EventSourcedEntity<TState> entity,
    EventSourcedBehavior<TState> behavior,
    ServiceDescriptor service,
    string persistenceId,
    EventSourcedEntityOptions options) : IEntityModel
{
    public EventSourcedBehavior<TState> Behavior => behavior;

    public ServiceDescriptor Service => service;

    public string PersistenceId => persistenceId;

    public EventSourcedEntityOptions Options => options;

    public IEnumerable<FileDescriptor> Files =>
        behavior.Events.Values.Select(e => e.Descriptor.File)
            .Append(behavior.Snapshots?.Descriptor.File)
            .Append(StateDescriptor()?.File)
            .OfType<FileDescriptor>()
            .Prepend(service.File);

    // A state that is itself a protobuf message is read the way generated code exposes it, through its static Descriptor.
    private static MessageDescriptor? StateDescriptor() =>
        typeof(IMessage).IsAssignableFrom(typeof(TState))
            ? typeof(TState).GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MessageDescriptor
            : null;

    public IEntityInstance Start(string entityId, EventSourcedSnapshot? snapshot)
    {
        if (snapshot?.Snapshot is not { } any)
        {
            return new EntityInstance<TState>(behavior, options, entityId, entity.InitialState(entityId), 0);
        }

        var codec = behavior.Snapshots
            ?? throw new EntityStreamException($"Entity {service.FullName} got a snapshot but declares no snapshot handler.");
        if (Any.GetTypeName(any.TypeUrl) != codec.Descriptor.FullName)
        {
            throw new EntityStreamException($"Entity {service.FullName} cannot restore a snapshot of type {any.TypeUrl}; it takes {codec.Descriptor.FullName}.");
        }

        TState state;
        try
        {
            state = codec.Restore(any.Value);
        }
        catch (Exception e)
        {
            throw new EntityStreamException($"The snapshot handler of {service.FullName} failed: {e.Message}", e);
        }

        return new EntityInstance<TState>(behavior, options, entityId, state, snapshot.SnapshotSequence);
    }
}
