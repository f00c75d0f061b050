using Cloudstate.Es.Proxy.Configuration;
using Cloudstate.Es.Protocol;
using Grpc.Net.Client;
using EventSourcedClient = Cloudstate.Es.Protocol.EventSourced.EventSourced.EventSourcedClient;

namespace Cloudstate.Es.Proxy.UserFunction;

/// <summary>The one gRPC channel to the user function, with the clients of the protocol's services.</summary>
internal sealed class UserFunctionChannel : IDisposable
{
    private readonly GrpcChannel channel;

    public UserFunctionChannel(ProxyOptions options)
    {
        channel = GrpcChannel.ForAddress(options.UserFunctionAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                // Every active entity holds one HTTP/2 stream, and servers cap streams per connection (Kestrel: 100).
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = TimeSpan.FromSeconds(2),
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            },
            // Fail fast while the user function is down, and find it again within a second or two once it is back.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(2),
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
        Discovery = new EntityDiscovery.EntityDiscoveryClient(channel);
        EventSourced = new EventSourcedClient(channel);
    }

    public EntityDiscovery.EntityDiscoveryClient Discovery { get; }

    public EventSourcedClient EventSourced { get; }

    public void Dispose() => channel.Dispose();
}
