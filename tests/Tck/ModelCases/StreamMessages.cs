using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.Tck.Model;
using static Cloudstate.Es.Tck.ModelCases.ModelMessages;

namespace Cloudstate.Es.Tck.ModelCases;

/// <summary>What came back on an entity stream, in words for failure messages.</summary>
internal static class StreamMessages
{
    public static string Describe(EventSourcedStreamOut? message) => message?.MessageCase switch
    {
        null => "the end of the stream",
        EventSourcedStreamOut.MessageOneofCase.Failure =>
            $"stream failure {Quote(message.Failure.Description)} (command id {message.Failure.CommandId})",
        EventSourcedStreamOut.MessageOneofCase.Reply => Describe(message.Reply),
        _ => "an empty stream message",
    };

    public static string Describe(SideEffect effect) =>
        Describe(effect.ServiceName, effect.CommandName, DescribeRequest(effect.Payload), effect.Synchronous);

    public static string Describe(string service, string command, string payload, bool synchronous) =>
        $"{service}/{command} {payload}{(synchronous ? " synchronous" : "")}";

    private static string Describe(EventSourcedReply reply)
    {
        var action = reply.ClientAction;
        var what = action?.ActionCase switch
        {
            ClientAction.ActionOneofCase.Reply => Unpack(action.Reply.Payload, Response.Parser, Response.Descriptor.FullName) is { } response
                ? $"reply for command {reply.CommandId} with state {Quote(response.Message)}"
                : $"reply for command {reply.CommandId} with {DescribeRequest(action.Reply.Payload)}",
            ClientAction.ActionOneofCase.Forward =>
                $"forward for command {reply.CommandId} to {action.Forward.ServiceName}/{action.Forward.CommandName} with {DescribeRequest(action.Forward.Payload)}",
            ClientAction.ActionOneofCase.Failure =>
                $"failure {Quote(action.Failure.Description)} for command {reply.CommandId}"
                + (action.Failure.CommandId != reply.CommandId ? $" (its failure names command {action.Failure.CommandId})" : "")
                + (action.Failure.Restart ? " asking for a restart" : " without restart"),
            _ => $"reply for command {reply.CommandId} without a client action",
        };
        return what;
    }
}
