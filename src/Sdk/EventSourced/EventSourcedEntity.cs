using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Sdk.EventSourced;

/// <summary>Any event-sourced entity type; derive from <see cref="EventSourcedEntity{TState}"/>.</summary>
public abstract class EventSourcedEntity
{
    private protected EventSourcedEntity()
    {
    }

    internal abstract IEntityModel CreateModel(ServiceDescriptor service, string persistenceId, EventSourcedEntityOptions options);
}

/// <summary>
/// An event-sourced entity type. Derive from it, give the initial state, and declare in <see cref="Define"/> the
/// command handlers (validate, emit events, reply), the event handlers (fold an event into the state) and, optionally,
/// how the state is snapshotted. One object serves every instance of the entity, so keep per-instance data in
/// <typeparamref name="TState"/>, and keep the state immutable: a failed command is undone by going back to the
/// state it started from.
/// </summary>
public abstract class EventSourcedEntity<TState> : EventSourcedEntity
{
    /// <summary>The state of an instance that has no events yet.</summary>
    public abstract TState InitialState(string entityId);

    /// <summary>Declares the entity's command handlers, event handlers and snapshot.</summary>
    public abstract void Define(EventSourcedBehavior<TState> behavior);

    internal sealed override IEntityModel CreateModel(ServiceDescriptor service, string persistenceId, EventSourcedEntityOptions options)
    {
        var behavior = new EventSourcedBehavior<TState>(service);
        Define(behavior);
        return new EntityModel<TState>(this, behavior, service, persistenceId, options);
    }
}
