using System.Text;
using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.TestModel;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ProtocolFailure = Cloudstate.Es.Protocol.Failure;

namespace Cloudstate.Es.Proxy.Tests.Scripted;

/// <summary>Answers <c>discover</c> with the user function's current spec and records what <c>reportError</c> receives.</summary>
internal sealed class ScriptedDiscovery(ScriptedUserFunction owner) : EntityDiscovery.EntityDiscoveryBase
{
    public override Task<EntitySpec> discover(ProxyInfo request, ServerCallContext context) => Task.FromResult(owner.Spec);

    public override Task<Empty> reportError(UserFunctionError request, ServerCallContext context)
    {
        owner.RecordError(request.Message);
        return Task.FromResult(new Empty());
    }
}

/// <summary>
/// One entity stream, handled like the model: the state is the concatenation of <c>Persisted</c> values replayed and emitted.
/// A <c>Fail</c> action misbehaves on purpose by its message: <c>restart</c> (client failure with restart),
/// <c>stream</c> (stream-level failure), <c>wrong-id</c> (a reply for command id + 100), <c>close</c> (end the stream
/// without replying); any other message is a client failure with that description. Failures discard the command's
/// emitted values from the state, but a client failure and a wrong-id reply still carry them as events, which the proxy
/// must not persist.
/// </summary>
internal sealed class ScriptedEventSourced(ScriptedUserFunction owner) : EventSourced.EventSourcedBase
{
    public override async Task handle(IAsyncStreamReader<EventSourcedStreamIn> requestStream, IServerStreamWriter<EventSourcedStreamOut> responseStream, ServerCallContext context)
    {
        var state = new StringBuilder();
        var entityId = "";
        Action<long>? record = null;
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            var message = requestStream.Current;
            switch (message.MessageCase)
            {
                case EventSourcedStreamIn.MessageOneofCase.Init:
                    entityId = message.Init.EntityId;
                    record = owner.RecordStream(entityId);
                    if (message.Init.Snapshot?.Snapshot is { } snapshot)
                    {
                        state.Append(snapshot.Unpack<Persisted>().Value);
                    }

                    break;
                case EventSourcedStreamIn.MessageOneofCase.Event:
                    state.Append(message.Event.Payload.Unpack<Persisted>().Value);
                    break;
                case EventSourcedStreamIn.MessageOneofCase.Command:
                    var command = message.Command;
                    (record ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, "A command came before init.")))(command.Id);
                    if (owner.OnCommand is { } hook)
                    {
                        await hook(entityId, command);
                    }

                    var output = Handle(command, state);
                    if (output is null)
                    {
                        return;
                    }

                    await responseStream.WriteAsync(output, context.CancellationToken);
                    if (output.MessageCase == EventSourcedStreamOut.MessageOneofCase.Failure)
                    {
                        return;
                    }

                    break;
                default:
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "An empty stream message."));
            }
        }
    }

    /// <summary>The answer to <paramref name="command"/>; null to end the stream without one.</summary>
    private static EventSourcedStreamOut? Handle(Command command, StringBuilder state)
    {
        var request = command.Payload.Unpack<Request>();
        var emitted = new StringBuilder();
        var events = new List<Any>();
        foreach (var action in request.Actions)
        {
            switch (action.ActionCase)
            {
                case RequestAction.ActionOneofCase.Emit:
                    emitted.Append(action.Emit.Value);
                    events.Add(Any.Pack(new Persisted { Value = action.Emit.Value }));
                    break;
                case RequestAction.ActionOneofCase.Fail:
                    return Fail(command.Id, action.Fail.Message, events, state + emitted.ToString());
                default:
                    break;
            }
        }

        state.Append(emitted);
        return Reply(command.Id, new ClientAction { Reply = new Reply { Payload = Any.Pack(new Response { Message = state.ToString() }) } }, events);
    }

    private static EventSourcedStreamOut? Fail(long commandId, string message, List<Any> events, string stateWithEvents) => message switch
    {
        "restart" => Reply(commandId, new ClientAction { Failure = new ProtocolFailure { CommandId = commandId, Description = "restart requested", Restart = true } }, []),
        "stream" => new EventSourcedStreamOut { Failure = new ProtocolFailure { CommandId = commandId, Description = "stream failure requested" } },
        "wrong-id" => Reply(commandId + 100, new ClientAction { Reply = new Reply { Payload = Any.Pack(new Response { Message = stateWithEvents }) } }, events),
        "close" => null,
        _ => Reply(commandId, new ClientAction { Failure = new ProtocolFailure { CommandId = commandId, Description = message } }, events),
    };

    private static EventSourcedStreamOut Reply(long commandId, ClientAction action, List<Any> events) =>
        new() { Reply = new EventSourcedReply { CommandId = commandId, ClientAction = action, Events = { events } } };
}
