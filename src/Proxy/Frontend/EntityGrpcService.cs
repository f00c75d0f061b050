using System.Buffers;
using Cloudstate.Es.Proxy.Discovery;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Cloudstate.Es.Proxy.Frontend;

/// <summary>The gRPC front end: the entity services discovered at start-up, bound at run time as raw-bytes unary methods.</summary>
internal sealed class EntityGrpcService;

/// <summary>Adds one unary method per entity method to <see cref="EntityGrpcService"/>, with the request passed on unparsed.</summary>
internal sealed class EntityMethodProvider(EntityCatalog catalog, CommandRouter router, CommandMetadata metadata) : IServiceMethodProvider<EntityGrpcService>
{
    private static readonly Marshaller<ByteString> Bytes = new(
        (ByteString value, SerializationContext context) =>
        {
            context.SetPayloadLength(value.Length);
            var writer = context.GetBufferWriter();
            writer.Write(value.Span);
            context.Complete();
        },
        // One copy out of the transport buffer, which is reused once this returns; the bytes then travel as they are.
        context => UnsafeByteOperations.UnsafeWrap(context.PayloadAsReadOnlySequence().ToArray()));

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<EntityGrpcService> context)
    {
        foreach (var service in catalog.Services)
        {
            foreach (var method in service.Methods.Values)
            {
                var grpcMethod = new Method<ByteString, ByteString>(MethodType.Unary, service.Name, method.Name, Bytes, Bytes);
                context.AddUnaryMethod(grpcMethod, [], (_, request, call) => HandleAsync(method, request, call));
            }
        }
    }

    /// <summary>One call: the request headers go as the command's metadata, the reply's metadata comes back as response headers.</summary>
    private async Task<ByteString> HandleAsync(EntityMethod method, ByteString request, ServerCallContext call)
    {
        var headers = CommandMetadata.FromHeaders(call.GetHttpContext().Request.Headers, grpc: true);
        var reply = await router.HandleAsync(method, request, headers, call.CancellationToken, call.Deadline).ConfigureAwait(false);
        if (reply.Metadata is { Entries.Count: > 0 })
        {
            var response = new Grpc.Core.Metadata();
            foreach (var (name, text, binary) in metadata.ToHeaders(reply.Metadata, method.Service.Name, method.Name))
            {
                if (binary is null)
                    response.Add(name, text!);
                else
                    response.Add(name, binary);
            }

            if (response.Count > 0)
                await call.WriteResponseHeadersAsync(response).ConfigureAwait(false);
        }

        return reply.Payload;
    }
}
