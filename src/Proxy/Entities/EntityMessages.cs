using Cloudstate.Es.Protocol;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Grpc.Core;
using Proto;

namespace Cloudstate.Es.Proxy.Entities;

/// <summary>
/// A command for one entity instance: the method and the request bytes, passed on unparsed. <paramref name="SendBy"/>
/// is the last moment it may still go to the user function (the client's deadline or the command timeout, whichever
/// comes first); <paramref name="AnswerBy"/> is when the proxy's command timeout runs out, after which an instance that
/// has not answered is stopped.
/// </summary>
internal sealed record EntityCommand(string Method, string PayloadTypeUrl, ByteString Payload, Protocol.Metadata? Metadata, DateTime SendBy, DateTime AnswerBy)
{
    /// <summary>The instance on another node this command was last sent to, while it waits for its answer there.</summary>
    public PID? SentTo { get; set; }

    /// <summary>A command with no deadline of its own (benchmarks and tests that drive a session directly).</summary>
    public EntityCommand(string method, string payloadTypeUrl, ByteString payload, Protocol.Metadata? metadata)
        : this(method, payloadTypeUrl, payload, metadata, DateTime.MaxValue, DateTime.MaxValue)
    {
    }
}

/// <summary>
/// What an entity instance answers a command: the user function's client action and side effects, or a proxy error.
/// <see cref="MayRetry"/> marks an error for a command that was never handled, which the router may send once more;
/// <see cref="LeavingMember"/> names the member it came from when that member is leaving the cluster, and the router waits
/// until it has left before sending the command again.
/// </summary>
internal sealed record EntityOutcome(ClientAction? Action, RepeatedField<SideEffect>? SideEffects, StatusCode ErrorCode, string? Error)
{
    public bool MayRetry { get; init; }

    public string? LeavingMember { get; init; }

    public static EntityOutcome From(ClientAction action, RepeatedField<SideEffect> sideEffects) => new(action, sideEffects, StatusCode.OK, null);

    public static EntityOutcome Failed(StatusCode code, string message) => new(null, null, code, message);

    /// <summary>The instance lost its stream to another writer before this command's events were stored: nothing of it is stored.</summary>
    public static EntityOutcome Fenced(string message) => new(null, null, StatusCode.Unavailable, message) { MayRetry = true };

    /// <summary>The command was not handled because member <paramref name="member"/> is leaving the cluster.</summary>
    public static EntityOutcome Leaving(string member, string message) => new(null, null, StatusCode.Unavailable, message) { MayRetry = true, LeavingMember = member };
}
