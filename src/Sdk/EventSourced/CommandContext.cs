using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Grpc.Core;

namespace Cloudstate.Es.Sdk.EventSourced;

/// <summary>What a command handler can do besides replying: emit events, fail, forward, and ask for side effects.</summary>
public sealed class CommandContext<TState>
{
    private readonly EventSourcedBehavior<TState> behavior;
    private readonly List<IMessage> events = [];
    private readonly List<(ServiceCall Call, bool Synchronous)> sideEffects = [];

    internal CommandContext(EventSourcedBehavior<TState> behavior, string entityId, long commandId, string commandName, Metadata metadata, TState state)
    {
        this.behavior = behavior;
        EntityId = entityId;
        CommandId = commandId;
        CommandName = commandName;
        Metadata = metadata;
        State = state;
    }

    /// <summary>The entity key of this instance.</summary>
    public string EntityId { get; }

    /// <summary>The command's id within this incarnation of the entity, counting from 1.</summary>
    public long CommandId { get; }

    /// <summary>The name of the service method being handled.</summary>
    public string CommandName { get; }

    /// <summary>The metadata that came with the command.</summary>
    public Metadata Metadata { get; }

    /// <summary>Metadata to send back with the reply.</summary>
    public Metadata ReplyMetadata { get; } = new();

    /// <summary>The state with every event emitted so far by this command applied.</summary>
    public TState State { get; private set; }

    internal IReadOnlyList<IMessage> Events => events;

    internal ServiceCall? Forwarded { get; private set; }

    internal IReadOnlyList<(ServiceCall Call, bool Synchronous)> SideEffects => sideEffects;

    /// <summary>Emits an event: it is applied to <see cref="State"/> now and persisted if the command succeeds.</summary>
    public void Emit<TEvent>(TEvent @event)
        where TEvent : IMessage
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (!behavior.Events.TryGetValue(@event.Descriptor.FullName, out var applier))
        {
            throw new EntityStreamException($"No event handler for emitted event {@event.Descriptor.FullName}.");
        }

        try
        {
            State = applier.ApplyMessage(State, @event);
        }
        catch (Exception e) when (e is not EntityStreamException)
        {
            throw new EntityStreamException($"The event handler for {@event.Descriptor.FullName} failed: {e.Message}", e);
        }

        events.Add(@event);
    }

    /// <summary>Fails the command: the client gets <paramref name="message"/> as the error and no event is persisted.</summary>
    [DoesNotReturn]
    public void Fail(string message) => throw new CommandFailedException(message);

    /// <summary>
    /// Fails the command with the status the client should act on: <see cref="StatusCode.InvalidArgument"/> is HTTP 400,
    /// <see cref="StatusCode.NotFound"/> 404, <see cref="StatusCode.AlreadyExists"/> 409, <see cref="StatusCode.FailedPrecondition"/>
    /// 400; no event is persisted.
    /// </summary>
    [DoesNotReturn]
    public void Fail(string message, StatusCode code) => throw new CommandFailedException(message, code);

    /// <summary>Hands the command on to <paramref name="call"/>, whose reply becomes the client's; the handler's own return value is then ignored.</summary>
    public void Forward(ServiceCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (Forwarded is not null)
        {
            throw new InvalidOperationException("A command can be forwarded only once.");
        }

        Forwarded = call;
    }

    /// <summary>Asks the proxy to make <paramref name="call"/> once the command's events are persisted; synchronous ones run in order before the reply.</summary>
    public void Effect(ServiceCall call, bool synchronous = false)
    {
        ArgumentNullException.ThrowIfNull(call);
        sideEffects.Add((call, synchronous));
    }
}
