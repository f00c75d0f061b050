using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.Proxy.Discovery;
using Google.Protobuf.WellKnownTypes;

namespace Cloudstate.Es.Proxy.Entities;

/// <summary>
/// What the proxy checks of a user function's reply before it persists anything: a client action, a reply payload of the
/// method's output type, and forwards and side effects only to declared entity methods with payloads of their input type.
/// </summary>
internal static class ReplyCheck
{
    /// <summary>What is wrong with <paramref name="reply"/> to <paramref name="command"/>, in the proxy's words; null when nothing.</summary>
    public static string? Problem(EntityCatalog catalog, EntityService service, EntityCommand command, EventSourcedReply reply)
    {
        var action = reply.ClientAction;
        switch (action?.ActionCase ?? ClientAction.ActionOneofCase.None)
        {
            case ClientAction.ActionOneofCase.Reply:
                var output = service.Methods.GetValueOrDefault(command.Method)?.Descriptor.OutputType.FullName;
                if (action!.Reply.Payload is { } payload && output is not null && !IsOf(payload, output))
                    return $"the reply to {command.Method} carries a {TypeName(payload).ToString()}, not a {output}";
                break;
            case ClientAction.ActionOneofCase.Forward:
                if (Target(catalog, action!.Forward.ServiceName, action.Forward.CommandName, action.Forward.Payload, "forward") is { } forward)
                    return forward;
                break;
            default:
                return $"the reply to command {reply.CommandId} has no client action";
        }

        foreach (var effect in reply.SideEffects)
        {
            if (Target(catalog, effect.ServiceName, effect.CommandName, effect.Payload, "side effect") is { } problem)
                return problem;
        }

        return null;
    }

    private static string? Target(EntityCatalog catalog, string serviceName, string commandName, Any? payload, string what)
    {
        if (catalog.Find(serviceName)?.Methods.GetValueOrDefault(commandName) is not { } method)
            return $"a {what} to {serviceName}/{commandName}, which is not an entity method it declared";
        var input = method.Descriptor.InputType.FullName;
        return payload is not null && !IsOf(payload, input) ? $"a {what} to {serviceName}/{commandName} carries a {TypeName(payload).ToString()}, not a {input}" : null;
    }

    private static bool IsOf(Any payload, string messageName) => TypeName(payload).SequenceEqual(messageName);

    /// <summary>The message name of a type URL: what follows its last '/'.</summary>
    private static ReadOnlySpan<char> TypeName(Any payload) => payload.TypeUrl.AsSpan(payload.TypeUrl.LastIndexOf('/') + 1);
}
