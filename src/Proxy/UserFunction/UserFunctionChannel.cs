using Cloudstate.Es.Protocol;
using Cloudstate.Es.Proxy.Hosting;
using Grpc.Net.Client;

namespace Cloudstate.Es.Proxy.UserFunction;

/// <summary>The connections to the user function: a gRPC channel for discovery, and HTTP/2 for the entity streams.</summary>
internal sealed class UserFunctionChannel : IDisposable
{
    private readonly GrpcChannel channel;

    public UserFunctionChannel(ProxyOptions options)
    {
        HandleAddress = new Uri(options.UserFunction.Address, "cloudstate.eventsourced.EventSourced/handle");
        MaxMessageSize = options.Frontend.MaxMessageSize;
        // Entity streams get connections of their own: a handler given to GrpcChannel is driven by its subchannels.
        Invoker = new HttpMessageInvoker(Handler(), disposeHandler: true);
        channel = GrpcChannel.ForAddress(options.UserFunction.Address, new GrpcChannelOptions
        {
            HttpHandler = Handler(),
            // Fail fast while the user function is down, and find it again within a second or two once it is back.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(2),
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
        Discovery = new EntityDiscovery.EntityDiscoveryClient(channel);
    }

    public EntityDiscovery.EntityDiscoveryClient Discovery { get; }

    /// <summary>Where entity streams go: the user function's <c>EventSourced.handle</c>, one instance shared by every stream.</summary>
    public Uri HandleAddress { get; }

    /// <summary>The largest message the user function may send on an entity stream.</summary>
    public int MaxMessageSize { get; }

    /// <summary>HTTP/2 to the user function for the entity streams, framed by hand.</summary>
    public HttpMessageInvoker Invoker { get; }

    public void Dispose()
    {
        channel.Dispose();
        Invoker.Dispose();
    }

    private static SocketsHttpHandler Handler() => new()
    {
        // Every active entity holds one HTTP/2 stream, and servers cap streams per connection (Kestrel: 100).
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        KeepAlivePingDelay = TimeSpan.FromSeconds(30),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
        // The user function is the pod's own process: never through an HTTP proxy the environment names, and gRPC has
        // no redirects or cookies. Each of those is a handler wrapped around every entity stream's request otherwise.
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
    };
}
