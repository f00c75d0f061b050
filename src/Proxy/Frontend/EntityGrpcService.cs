using System.Buffers;
using Cloudstate.Es.Proxy.Discovery;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Cloudstate.Es.Proxy.Frontend;

/// <summary>The gRPC front end: the entity services discovered at start-up, bound at run time as raw-bytes unary methods.</summary>
internal sealed class EntityGrpcService;

/// <summary>Adds one unary method per entity method to <see cref="EntityGrpcService"/>, with the request passed on unparsed.</summary>
internal sealed class EntityMethodProvider(EntityCatalog catalog, CommandRouter router) : IServiceMethodProvider<EntityGrpcService>
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
                context.AddUnaryMethod(grpcMethod, [], (_, request, call) => router.HandleAsync(method, request, null, call.CancellationToken, call.Deadline));
            }
        }
    }
}
