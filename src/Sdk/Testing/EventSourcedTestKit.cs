using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.Sdk.EventSourced;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Cloudstate.Es.Sdk.Testing;

/// <summary>
/// Runs one instance of an event-sourced entity in memory, without a proxy, for unit tests of its domain logic.
/// Commands go through the same code as on a real stream; persisted events are kept and replayable.
/// </summary>
public sealed class EventSourcedTestKit<TState>
{
    private readonly IEntityModel model;
    private readonly TypeRegistry types;
    private readonly List<IMessage> events = [];
    private readonly string entityId;
    private IEntityInstance instance;
    private long commandId;

    public EventSourcedTestKit(EventSourcedEntity<TState> entity, ServiceDescriptor service, string entityId = "test-entity", EventSourcedEntityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(service);
        model = entity.CreateModel(service, service.Name, options ?? new EventSourcedEntityOptions());
        var behavior = ((EntityModel<TState>)model).Behavior;
        types = TypeRegistry.FromMessages(behavior.Events.Values.Select(e => e.Descriptor)
            .Concat(behavior.Snapshots is { } s ? [s.Descriptor] : [])
            .Concat(service.Methods.SelectMany(m => new[] { m.InputType, m.OutputType })));
        this.entityId = entityId;
        instance = model.Start(entityId, null);
    }

    /// <summary>Every event persisted so far, oldest first.</summary>
    public IReadOnlyList<IMessage> Events => events;

    /// <summary>Handles <paramref name="command"/> as the service method <paramref name="name"/>.</summary>
    public async Task<CommandOutcome> HandleAsync(string name, IMessage command, Metadata? metadata = null)
    {
        var wire = new Protocol.Command
        {
            EntityId = entityId, Id = ++commandId, Name = name, Payload = Any.Pack(command), Metadata = metadata?.ToWire(),
        };
        var reply = await instance.HandleAsync(wire).ConfigureAwait(false);
        var emitted = reply.Events.Select(Unpack).ToList();
        events.AddRange(emitted);
        var action = reply.ClientAction;
        return new CommandOutcome(
            action.Reply?.Payload is { } payload ? Unpack(payload) : null,
            action.Failure?.Description,
            emitted,
            reply.Snapshot is { } snapshot ? Unpack(snapshot) : null,
            action.Forward is { } forward ? new ServiceCall(forward.ServiceName, forward.CommandName, Unpack(forward.Payload)) : null,
            reply.SideEffects.Select(e => (new ServiceCall(e.ServiceName, e.CommandName, Unpack(e.Payload)), e.Synchronous)).ToList(),
            Metadata.FromWire(action.Reply?.Metadata),
            action.Failure is { } failure ? (failure.GrpcStatusCode is > 0 and <= 16 ? (StatusCode)failure.GrpcStatusCode : StatusCode.Unknown) : null);
    }

    /// <summary>Starts the instance again from its persisted events, as the proxy does after passivation.</summary>
    public void Restart()
    {
        instance = model.Start(entityId, null);
        for (var i = 0; i < events.Count; i++)
        {
            instance.Replay(new EventSourcedEvent { Sequence = i + 1, Payload = Any.Pack(events[i]) });
        }
    }

    private IMessage Unpack(Any any) => any.Unpack(types) ?? throw new InvalidOperationException($"Unknown type {any.TypeUrl}.");
}

/// <summary>What one command did: its reply (with the reply's metadata) or failure (with its status), the events it persisted, and any snapshot, forward or side effects.</summary>
public sealed record CommandOutcome(
    IMessage? Reply,
    string? Failure,
    IReadOnlyList<IMessage> Events,
    IMessage? Snapshot,
    ServiceCall? Forward,
    IReadOnlyList<(ServiceCall Call, bool Synchronous)> SideEffects,
    Metadata ReplyMetadata,
    StatusCode? FailureCode = null);
