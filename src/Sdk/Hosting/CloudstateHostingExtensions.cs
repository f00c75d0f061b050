using System.Net;
using Cloudstate.Es.Sdk.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Sdk.Hosting;

/// <summary>Turns an ASP.NET Core application into a Cloudstate user function.</summary>
public static class CloudstateHostingExtensions
{
    /// <summary>Adds the Cloudstate services and listens for the proxy (cleartext HTTP/2) on <see cref="CloudstateOptions.Host"/>:<see cref="CloudstateOptions.Port"/>.</summary>
    public static CloudstateBuilder AddCloudstate(this WebApplicationBuilder builder, Action<CloudstateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new CloudstateOptions();
        configure?.Invoke(options);
        options.Validate();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<EntityCatalog>();
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = null);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => Listen(kestrel, options));
        return new CloudstateBuilder(builder.Services);
    }

    /// <summary>Serves entity discovery and the event-sourced entity streams; checks every registered entity now.</summary>
    public static IEndpointRouteBuilder MapCloudstate(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.ServiceProvider.GetRequiredService<EntityCatalog>();
        endpoints.MapGrpcService<EntityDiscoveryService>();
        endpoints.MapGrpcService<EventSourcedService>();
        return endpoints;
    }

    private static void Listen(KestrelServerOptions kestrel, CloudstateOptions options)
    {
        // gRPC without TLS needs an HTTP/2-only endpoint (h2c with prior knowledge).
        static void Http2(ListenOptions listen) => listen.Protocols = HttpProtocols.Http2;
        switch (options.Host)
        {
            case "0.0.0.0" or "*" or "::":
                kestrel.ListenAnyIP(options.Port, Http2);
                break;
            case "localhost":
                kestrel.ListenLocalhost(options.Port, Http2);
                break;
            default:
                var address = IPAddress.TryParse(options.Host, out var ip)
                    ? ip
                    : Dns.GetHostAddresses(options.Host).FirstOrDefault()
                      ?? throw new InvalidOperationException($"Cloudstate: cannot resolve host '{options.Host}'.");
                kestrel.Listen(address, options.Port, Http2);
                break;
        }
    }
}
