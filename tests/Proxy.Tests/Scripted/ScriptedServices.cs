using System.Text;
using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.TestModel;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ProtocolFailure = Cloudstate.Es.Protocol.Failure;
using ProtocolForward = Cloudstate.Es.Protocol.Forward;

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
/// One entity stream, handled like the model: the state is the concatenation of <c>Persisted</c> values replayed and emitted
/// (a snapshot is a <c>Persisted</c> of the whole state). A <c>Fail</c> action misbehaves on purpose by its message:
/// <c>restart</c> (client failure with restart), <c>stream</c> (stream-level failure), <c>wrong-id</c> (a reply for
/// command id + 100), <c>close</c> (end the stream without replying), <c>hang</c> (never answer), <c>huge-frame</c>
/// (a frame header announcing 2 GiB), <c>garbage</c> (a frame that is not a message), <c>compressed</c> (a frame flagged
/// compressed), <c>wrong-type</c> (a reply payload that is not a Response), <c>no-action</c> (a reply whose client action
/// has no case), <c>undeclared-forward</c> and <c>undeclared-effect</c> (to a method the spec does not declare); the
/// frame-level ones then wait until the proxy resets the stream. <c>snapshot</c> is no failure: the reply also offers a
/// snapshot. Any other message is a client failure with that description. Failures discard the command's emitted values
/// from the state, but the replies still carry them as events, which the proxy must not persist.
/// </summary>
internal sealed class ScriptedEventSourced(ScriptedUserFunction owner) : EventSourced.EventSourcedBase
{
    public override async Task handle(IAsyncStreamReader<EventSourcedStreamIn> requestStream, IServerStreamWriter<EventSourcedStreamOut> responseStream, ServerCallContext context)
    {
        var state = new StringBuilder();
        var entityId = "";
        Action<long>? record = null;
        using var open = owner.CountOpenStream();
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

                    if (owner.OnInit is { } init)
                    {
                        await init(entityId, context.CancellationToken);
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

                    if (FrameFault(command) is { } fault)
                    {
                        await MisbehaveAsync(fault, entityId, context);
                        return;
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

    private static string? FrameFault(Command command) =>
        command.Payload.Unpack<Request>().Actions.Select(a => a.Fail?.Message).FirstOrDefault(m => m is "hang" or "huge-frame" or "garbage" or "compressed");

    /// <summary>Writes what <paramref name="fault"/> names straight to the response body, then waits for the proxy to reset the stream.</summary>
    private async Task MisbehaveAsync(string fault, string entityId, ServerCallContext context)
    {
        byte[] frame = fault switch
        {
            "huge-frame" => [0, 0x80, 0, 0, 0],
            "garbage" => [0, 0, 0, 0, 4, 0xff, 0xff, 0xff, 0xff],
            "compressed" => [1, 0, 0, 0, 0],
            _ => [],
        };
        if (frame.Length > 0)
        {
            var body = context.GetHttpContext().Response.Body;
            await body.WriteAsync(frame, context.CancellationToken);
            await body.FlushAsync(context.CancellationToken);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            owner.RecordReset(entityId);
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
                case RequestAction.ActionOneofCase.Fail when action.Fail.Message == "snapshot":
                    break;
                case RequestAction.ActionOneofCase.Fail:
                    return Fail(command.Id, action.Fail.Message, events, state + emitted.ToString());
                default:
                    break;
            }
        }

        state.Append(emitted);
        var output = Reply(command.Id, new ClientAction { Reply = new Reply { Payload = Any.Pack(new Response { Message = state.ToString() }) } }, events);
        return request.Actions.Any(a => a.Fail?.Message == "snapshot") ? Snapshot(output, state.ToString()) : output;
    }

    private static readonly Any Undeclared = Any.Pack(new Request { Id = "elsewhere" });

    private static EventSourcedStreamOut? Fail(long commandId, string message, List<Any> events, string stateWithEvents) => message switch
    {
        "wrong-type" => Reply(commandId, new ClientAction { Reply = new Reply { Payload = Any.Pack(new Persisted { Value = stateWithEvents }) } }, events),
        "no-action" => Reply(commandId, new ClientAction(), events),
        "undeclared-forward" => Reply(commandId, new ClientAction { Forward = new ProtocolForward { ServiceName = "cloudstate.es.tests.model.Model", CommandName = "Undeclared", Payload = Undeclared } }, events),
        "undeclared-effect" => Effect(Reply(commandId, new ClientAction { Reply = new Reply { Payload = Any.Pack(new Response { Message = stateWithEvents }) } }, events)),
        "restart" => Reply(commandId, new ClientAction { Failure = new ProtocolFailure { CommandId = commandId, Description = "restart requested", Restart = true } }, []),
        "stream" => new EventSourcedStreamOut { Failure = new ProtocolFailure { CommandId = commandId, Description = "stream failure requested" } },
        "wrong-id" => Reply(commandId + 100, new ClientAction { Reply = new Reply { Payload = Any.Pack(new Response { Message = stateWithEvents }) } }, events),
        "close" => null,
        _ => Reply(commandId, new ClientAction { Failure = new ProtocolFailure { CommandId = commandId, Description = message } }, events),
    };

    private static EventSourcedStreamOut Snapshot(EventSourcedStreamOut output, string state)
    {
        output.Reply.Snapshot = Any.Pack(new Persisted { Value = state });
        return output;
    }

    private static EventSourcedStreamOut Effect(EventSourcedStreamOut output)
    {
        output.Reply.SideEffects.Add(new SideEffect { ServiceName = "cloudstate.es.tests.model.Two", CommandName = "Undeclared", Payload = Undeclared });
        return output;
    }

    private static EventSourcedStreamOut Reply(long commandId, ClientAction action, List<Any> events) =>
        new() { Reply = new EventSourcedReply { CommandId = commandId, ClientAction = action, Events = { events } } };
}
