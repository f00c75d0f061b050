using Cloudstate.Es.Protocol;
using Grpc.Core;

namespace Cloudstate.Es.Proxy.Entities;

/// <summary>The status a client gets for a user function's failure.</summary>
internal static class FailureStatus
{
    /// <summary>The status the user function chose (<c>Failure.grpc_status_code</c>, Cloudstate.Es' field); without one,
    /// or with OK or a number gRPC does not define, UNKNOWN as in Cloudstate 0.2.</summary>
    public static StatusCode Of(Failure failure) => failure.GrpcStatusCode is > 0 and <= (int)StatusCode.Unauthenticated
        ? (StatusCode)failure.GrpcStatusCode
        : StatusCode.Unknown;
}
