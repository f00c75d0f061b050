using System.Reflection;
using System.Runtime.InteropServices;
using Cloudstate.Es.Protocol;
using Cloudstate.Es.Sdk.Hosting;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Sdk.Wire;

/// <summary>Tells the proxy which entities this user function serves, with every descriptor they need.</summary>
internal sealed partial class EntityDiscoveryService(EntityCatalog catalog, CloudstateOptions options, ILogger<EntityDiscoveryService> logger)
    : EntityDiscovery.EntityDiscoveryBase
{
    public const string EventSourcedEntityType = "cloudstate.eventsourced.EventSourced";
    public const string LibraryName = "cloudstate-es-dotnet";

    public override Task<EntitySpec> discover(ProxyInfo request, ServerCallContext context)
    {
        LogDiscovery(logger, request.ProxyName, request.ProxyVersion, request.ProtocolMajorVersion, request.ProtocolMinorVersion);
        if (request.SupportedEntityTypes.Count > 0 && !request.SupportedEntityTypes.Contains(EventSourcedEntityType))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"The proxy {request.ProxyName} does not support {EventSourcedEntityType} entities, which this user function serves."));
        }

        var spec = new EntitySpec { Proto = FileDescriptorSets.Including(catalog.Entities.Values.SelectMany(e => e.Files)).ToByteString(), ServiceInfo = ServiceInfo() };
        foreach (var model in catalog.Entities.Values)
        {
            var entity = new Entity { EntityType = EventSourcedEntityType, ServiceName = model.Service.FullName, PersistenceId = model.PersistenceId };
            if (model.Options.PassivationTimeout is { } timeout)
            {
                entity.PassivationStrategy = new EntityPassivationStrategy
                {
                    Timeout = new TimeoutPassivationStrategy { Timeout = (long)timeout.TotalMilliseconds },
                };
            }

            spec.Entities.Add(entity);
        }

        return Task.FromResult(spec);
    }

    public override Task<Empty> reportError(UserFunctionError request, ServerCallContext context)
    {
        LogProxyError(logger, request.Message);
        return Task.FromResult(new Empty());
    }

    private ServiceInfo ServiceInfo()
    {
        var entry = Assembly.GetEntryAssembly()?.GetName();
        return new ServiceInfo
        {
            ServiceName = options.ServiceName ?? entry?.Name ?? "",
            ServiceVersion = options.ServiceVersion ?? entry?.Version?.ToString() ?? "",
            ServiceRuntime = RuntimeInformation.FrameworkDescription,
            SupportLibraryName = LibraryName,
            SupportLibraryVersion = typeof(EntityDiscoveryService).Assembly.GetName().Version?.ToString() ?? "",
            ProtocolMajorVersion = 0,
            ProtocolMinorVersion = 2,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discovery by proxy {ProxyName} {ProxyVersion} speaking protocol {Major}.{Minor}")]
    private static partial void LogDiscovery(ILogger logger, string proxyName, string proxyVersion, int major, int minor);

    [LoggerMessage(Level = LogLevel.Error, Message = "The proxy reported an error in this user function: {Message}")]
    private static partial void LogProxyError(ILogger logger, string message);
}
