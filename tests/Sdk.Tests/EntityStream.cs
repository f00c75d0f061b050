using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using EventSourcedClient = Cloudstate.Es.Protocol.EventSourced.EventSourced.EventSourcedClient;

namespace Cloudstate.Es.Sdk.Tests;

/// <summary>One <c>EventSourced.handle</c> stream driven the way a proxy drives it.</summary>
internal sealed class EntityStream : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly AsyncDuplexStreamingCall<EventSourcedStreamIn, EventSourcedStreamOut> call;
    private long nextCommandId = 1;

    private EntityStream(AsyncDuplexStreamingCall<EventSourcedStreamIn, EventSourcedStreamOut> call) => this.call = call;

    public static async Task<EntityStream> OpenAsync(GrpcChannel channel, string serviceName, string entityId, EventSourcedSnapshot? snapshot = null)
    {
        var stream = new EntityStream(new EventSourcedClient(channel).handle());
        var init = new EventSourcedInit { ServiceName = serviceName, EntityId = entityId, Snapshot = snapshot };
        await stream.call.RequestStream.WriteAsync(new EventSourcedStreamIn { Init = init });
        return stream;
    }

    public Task SendEventAsync(long sequence, IMessage payload) =>
        call.RequestStream.WriteAsync(new EventSourcedStreamIn { Event = new EventSourcedEvent { Sequence = sequence, Payload = Any.Pack(payload) } });

    /// <summary>Sends a command with the next command id and returns what the user function answers.</summary>
    public async Task<EventSourcedStreamOut> CommandAsync(string name, IMessage payload, Protocol.Metadata? metadata = null)
    {
        var command = new Command { Id = nextCommandId++, Name = name, Payload = Any.Pack(payload), Metadata = metadata };
        await call.RequestStream.WriteAsync(new EventSourcedStreamIn { Command = command });
        return await ReceiveAsync();
    }

    public async Task<EventSourcedStreamOut> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token), "The user function closed the stream without answering.");
        return call.ResponseStream.Current;
    }

    /// <summary>True when the user function ends the stream (after a stream-level failure).</summary>
    public async Task<bool> EndsAsync()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        return !await call.ResponseStream.MoveNext(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await call.RequestStream.CompleteAsync();
        }
        catch (InvalidOperationException)
        {
            // Already completed by the user function's side.
        }

        call.Dispose();
    }
}
