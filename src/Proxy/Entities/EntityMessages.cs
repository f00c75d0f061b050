using Cloudstate.Es.Protocol;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Grpc.Core;

namespace Cloudstate.Es.Proxy.Entities;

/// <summary>
/// A command for one entity instance: the method and the request bytes, passed on unparsed. <paramref name="SendBy"/>
/// is the last moment it may still go to the user function (the client's deadline or the command timeout, whichever
/// comes first); <paramref name="AnswerBy"/> is when the proxy's command timeout runs out, after which an instance that
/// has not answered is stopped.
/// </summary>
internal sealed record EntityCommand(string Method, string PayloadTypeUrl, ByteString Payload, Protocol.Metadata? Metadata, DateTime SendBy, DateTime AnswerBy)
{
    /// <summary>A command with no deadline of its own (benchmarks and tests that drive a session directly).</summary>
    public EntityCommand(string method, string payloadTypeUrl, ByteString payload, Protocol.Metadata? metadata)
        : this(method, payloadTypeUrl, payload, metadata, DateTime.MaxValue, DateTime.MaxValue)
    {
    }
}

/// <summary>
/// What an entity instance answers a command: the user function's client action and side effects, or a proxy error.
/// <see cref="MayRetry"/> marks an error for a command that was never handled, which the router may send once more.
/// </summary>
internal sealed record EntityOutcome(ClientAction? Action, RepeatedField<SideEffect>? SideEffects, StatusCode ErrorCode, string? Error)
{
    public bool MayRetry { get; init; }

    public static EntityOutcome From(ClientAction action, RepeatedField<SideEffect> sideEffects) => new(action, sideEffects, StatusCode.OK, null);

    public static EntityOutcome Failed(StatusCode code, string message) => new(null, null, code, message);

    /// <summary>The instance lost its stream to another writer before this command's events were stored: nothing of it is stored.</summary>
    public static EntityOutcome Fenced(string message) => new(null, null, StatusCode.Unavailable, message) { MayRetry = true };
}
