using Cloudstate.Es.Proxy.Discovery;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Cloudstate.Es.Proxy.Reflection;

/// <summary>gRPC server reflection (v1 and v1alpha) over the entity services discovered at start-up, for grpcurl-style clients.</summary>
internal static class EntityReflection
{
    /// <summary>Registers reflection over the <see cref="EntityCatalog"/>'s services and the reflection services themselves.</summary>
    public static IServiceCollection AddEntityReflection(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ReflectedFiles(sp.GetRequiredService<EntityCatalog>().Services
            .Select(service => service.Descriptor)
            .Append(V1.ServerReflection.Descriptor)
            .Append(V1Alpha.ServerReflection.Descriptor)));
        services.AddSingleton<ReflectionResponder>();
        return services;
    }

    public static IEndpointRouteBuilder MapEntityReflection(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<ServerReflectionV1>();
        endpoints.MapGrpcService<ServerReflectionV1Alpha>();
        return endpoints;
    }
}
