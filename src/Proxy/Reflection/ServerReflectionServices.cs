using Google.Protobuf;
using Grpc.Core;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Cloudstate.Es.Proxy.Reflection;

/// <summary>grpc.reflection.v1.ServerReflection: one answer per request, in order, on one stream.</summary>
internal sealed class ServerReflectionV1(ReflectionResponder responder) : V1.ServerReflection.ServerReflectionBase
{
    public override async Task ServerReflectionInfo(IAsyncStreamReader<V1.ServerReflectionRequest> requestStream, IServerStreamWriter<V1.ServerReflectionResponse> responseStream, ServerCallContext context)
    {
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(responder.Respond(request), context.CancellationToken);
        }
    }
}

/// <summary>grpc.reflection.v1alpha.ServerReflection, which older clients (grpc_cli, older grpcurl) still ask for.</summary>
internal sealed class ServerReflectionV1Alpha(ReflectionResponder responder) : V1Alpha.ServerReflection.ServerReflectionBase
{
    public override async Task ServerReflectionInfo(IAsyncStreamReader<V1Alpha.ServerReflectionRequest> requestStream, IServerStreamWriter<V1Alpha.ServerReflectionResponse> responseStream, ServerCallContext context)
    {
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            // v1 only renamed the package: the messages are the same on the wire, so they cross over as bytes.
            var answer = responder.Respond(V1.ServerReflectionRequest.Parser.ParseFrom(request.ToByteString()));
            await responseStream.WriteAsync(V1Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()), context.CancellationToken);
        }
    }
}
