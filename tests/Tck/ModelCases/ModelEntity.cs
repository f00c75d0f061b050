using Cloudstate.Es.Protocol;
using Cloudstate.Es.Tck.Kit;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cloudstate.Es.Tck.ModelCases;

/// <summary>What one model case works on: the user function and an entity id no other case uses.</summary>
internal sealed record ModelEntity(TckTarget Target, string Id, CancellationToken Cancellation)
{
    private static readonly string KitVersion = typeof(ModelEntity).Assembly.GetName().Version?.ToString() ?? "";

    /// <summary>Opens a new handle stream for this entity of <paramref name="service"/>.</summary>
    public UserFunctionSession Open(string service = ModelMessages.ModelService) =>
        UserFunctionSession.Open(Target, service, Id, Cancellation);

    /// <summary>Calls discover as a Cloudstate 0.2 proxy supporting event-sourced entities does.</summary>
    public async Task<EntitySpec> DiscoverAsync()
    {
        using var channel = GrpcChannel.ForAddress($"http://{Target.UserFunction}");
        var proxyInfo = new ProxyInfo
        {
            ProtocolMajorVersion = 0,
            ProtocolMinorVersion = 2,
            ProxyName = "cloudstate-es-tck",
            ProxyVersion = KitVersion,
            SupportedEntityTypes = { ModelMessages.EntityType },
        };
        try
        {
            return await new EntityDiscovery.EntityDiscoveryClient(channel)
                .discoverAsync(proxyInfo, deadline: DateTime.UtcNow + UserFunctionSession.ReadTimeout, cancellationToken: Cancellation);
        }
        catch (RpcException e) when (!Cancellation.IsCancellationRequested)
        {
            throw new TckFailure($"expected an EntitySpec from discover, got status {e.StatusCode} \"{e.Status.Detail}\"");
        }
    }
}
