using System.Diagnostics;
using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Cloudstate.Es.Sdk.EventSourced;

internal sealed class EntityInstance<TState>(
    EventSourcedBehavior<TState> behavior,
    EventSourcedEntityOptions options,
    string entityId,
    TState state,
    long sequence) : IEntityInstance
{
    public void Replay(EventSourcedEvent @event)
    {
        var payload = @event.Payload ?? throw new EntityStreamException($"Event {@event.Sequence} of {entityId} has no payload.");
        var typeName = Any.GetTypeName(payload.TypeUrl);
        if (!behavior.Events.TryGetValue(typeName, out var applier))
        {
            throw new EntityStreamException($"No event handler for replayed event {payload.TypeUrl} (sequence {@event.Sequence}).");
        }

        try
        {
            state = applier.ApplyBytes(state, payload.Value);
        }
        catch (Exception e)
        {
            throw new EntityStreamException($"The event handler for {typeName} failed on sequence {@event.Sequence}: {e.Message}", e);
        }

        sequence = @event.Sequence;
    }

    public async ValueTask<EventSourcedReply> HandleAsync(Command command)
    {
        if (!behavior.Commands.TryGetValue(command.Name, out var invoker))
        {
            throw new EntityStreamException($"No command handler for '{command.Name}'.");
        }

        var metadata = Metadata.FromWire(command.Metadata);
        using var activity = SdkTracing.StartCommand(options.PersistenceId ?? "entity", command.Name, metadata);
        activity?.SetTag("cloudstate.entity_key", entityId);
        var context = new CommandContext<TState>(behavior, entityId, command.Id, command.Name, metadata, state);
        IMessage? reply;
        try
        {
            reply = await invoker.InvokeAsync(state, command.Payload?.Value ?? ByteString.Empty, context).ConfigureAwait(false);
            if (reply is null && context.Forwarded is null)
            {
                throw new CommandFailedException($"The handler of '{command.Name}' returned no reply.");
            }
        }
        catch (Exception e) when (e is not EntityStreamException)
        {
            // The state before the command is still in `state`: the emitted events are dropped with the context.
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            return new EventSourcedReply
            {
                CommandId = command.Id,
                ClientAction = new ClientAction { Failure = new Failure { CommandId = command.Id, Description = e.Message, GrpcStatusCode = FailureCode(e) } },
            };
        }

        return Commit(command.Id, context, reply);
    }

    // The status a handler chose (Fail(message, code)); left unset (UNKNOWN, as a plain 0.2 library sends) otherwise.
    private static int FailureCode(Exception e) =>
        e is CommandFailedException { Code: not (Grpc.Core.StatusCode.OK or Grpc.Core.StatusCode.Unknown) } failed ? (int)failed.Code : 0;

    private EventSourcedReply Commit(long commandId, CommandContext<TState> context, IMessage? reply)
    {
        var result = new EventSourcedReply { CommandId = commandId };
        var snapshotDue = false;
        foreach (var @event in context.Events)
        {
            result.Events.Add(Any.Pack(@event));
            sequence++;
            snapshotDue |= options.SnapshotEvery > 0 && sequence % options.SnapshotEvery == 0;
        }

        state = context.State;
        if (snapshotDue && behavior.Snapshots is { } codec)
        {
            result.Snapshot = TakeSnapshot(codec);
        }

        result.ClientAction = context.Forwarded is { } forward
            ? new ClientAction { Forward = new Forward { ServiceName = forward.ServiceName, CommandName = forward.CommandName, Payload = Any.Pack(forward.Payload), Metadata = forward.Metadata?.ToWire() } }
            : new ClientAction { Reply = new Reply { Payload = Any.Pack(reply!), Metadata = context.ReplyMetadata.ToWire() } };
        foreach (var (call, synchronous) in context.SideEffects)
        {
            result.SideEffects.Add(new SideEffect
            {
                ServiceName = call.ServiceName,
                CommandName = call.CommandName,
                Payload = Any.Pack(call.Payload),
                Synchronous = synchronous,
                Metadata = call.Metadata?.ToWire(),
            });
        }

        return result;
    }

    private Any TakeSnapshot(SnapshotCodec<TState> codec)
    {
        try
        {
            return Any.Pack(codec.Take(state));
        }
        catch (Exception e)
        {
            throw new EntityStreamException($"Taking a snapshot of {entityId} at sequence {sequence} failed: {e.Message}", e);
        }
    }
}
