using System.Net;
using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Tck.Interception;

/// <summary>
/// Sits between a proxy and a user function: serves the Cloudstate protocol to the proxy, passes every call and
/// message on to the real user function unchanged, and records the traffic for the proxy cases to check.
/// </summary>
public sealed class Interceptor : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly GrpcChannel channel;

    private Interceptor(WebApplication app, GrpcChannel channel, TrafficLog traffic)
    {
        this.app = app;
        this.channel = channel;
        Traffic = traffic;
    }

    /// <summary>host:port the proxy should take as its user function.</summary>
    public string Address => new Uri(app.Urls.Single()).Authority;

    public TrafficLog Traffic { get; }

    /// <summary>Starts on 127.0.0.1:<paramref name="port"/> (0: a free port) in front of the user function at host:port.</summary>
    public static async Task<Interceptor> StartAsync(string userFunction, int port = 0)
    {
        var channel = GrpcChannel.ForAddress($"http://{userFunction}");
        var traffic = new TrafficLog();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(traffic);
        builder.Services.AddSingleton(new EntityDiscovery.EntityDiscoveryClient(channel));
        builder.Services.AddSingleton(new EventSourced.EventSourcedClient(channel));
        var app = builder.Build();
        app.MapGrpcService<DiscoveryRelay>();
        app.MapGrpcService<EventSourcedRelay>();
        await app.StartAsync();
        return new Interceptor(app, channel, traffic);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        channel.Dispose();
    }

    private sealed class DiscoveryRelay(EntityDiscovery.EntityDiscoveryClient userFunction, TrafficLog traffic) : EntityDiscovery.EntityDiscoveryBase
    {
        public override async Task<EntitySpec> discover(ProxyInfo request, ServerCallContext context)
        {
            traffic.AddDiscovery(request);
            var spec = await userFunction.discoverAsync(request, cancellationToken: context.CancellationToken);
            traffic.AddDiscovery(spec);
            return spec;
        }

        public override async Task<Empty> reportError(UserFunctionError request, ServerCallContext context)
        {
            traffic.AddDiscovery(request);
            return await userFunction.reportErrorAsync(request, cancellationToken: context.CancellationToken);
        }
    }

    private sealed class EventSourcedRelay(EventSourced.EventSourcedClient userFunction, TrafficLog traffic) : EventSourced.EventSourcedBase
    {
        public override async Task handle(IAsyncStreamReader<EventSourcedStreamIn> requestStream, IServerStreamWriter<EventSourcedStreamOut> responseStream, ServerCallContext context)
        {
            var record = traffic.Open();
            using var call = userFunction.handle(cancellationToken: context.CancellationToken);
            var up = Task.Run(async () =>
            {
                await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
                {
                    record.Add(Direction.ToUserFunction, message);
                    await call.RequestStream.WriteAsync(message);
                }

                await call.RequestStream.CompleteAsync();
            });
            try
            {
                await foreach (var message in call.ResponseStream.ReadAllAsync(context.CancellationToken))
                {
                    var passed = traffic.Rewrite(record, message);
                    record.Add(Direction.ToProxy, passed);
                    await responseStream.WriteAsync(passed);
                }

                await up;
            }
            finally
            {
                record.Close();
            }
        }
    }
}
