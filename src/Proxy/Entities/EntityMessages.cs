using Cloudstate.Es.Protocol;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Grpc.Core;

namespace Cloudstate.Es.Proxy.Entities;

/// <summary>A command for one entity instance: the method and the request bytes, passed on unparsed.</summary>
internal sealed record EntityCommand(string Method, string PayloadTypeUrl, ByteString Payload, Protocol.Metadata? Metadata);

/// <summary>What an entity instance answers a command: the user function's client action and side effects, or a proxy error.</summary>
internal sealed record EntityOutcome(ClientAction? Action, RepeatedField<SideEffect>? SideEffects, StatusCode ErrorCode, string? Error)
{
    public static EntityOutcome From(ClientAction action, RepeatedField<SideEffect> sideEffects) => new(action, sideEffects, StatusCode.OK, null);

    public static EntityOutcome Failed(StatusCode code, string message) => new(null, null, code, message);
}
