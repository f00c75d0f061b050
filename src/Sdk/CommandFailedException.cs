using Grpc.Core;

namespace Cloudstate.Es.Sdk;

/// <summary>
/// Thrown by <see cref="EventSourced.CommandContext{TState}.Fail(string, StatusCode)"/>: the command fails with this
/// message and status, its events are discarded, and the client receives both as the error.
/// </summary>
public sealed class CommandFailedException(string message, StatusCode code = StatusCode.Unknown) : Exception(message)
{
    /// <summary>The gRPC status the client gets (HTTP/JSON clients the matching HTTP status). Default UNKNOWN (500).</summary>
    public StatusCode Code { get; } = code;
}
