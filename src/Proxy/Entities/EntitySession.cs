using Cloudstate.Es.Journal;
using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.Snapshots;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using EventSourcedClient = Cloudstate.Es.Protocol.EventSourced.EventSourced.EventSourcedClient;

namespace Cloudstate.Es.Proxy.Entities;

/// <summary>
/// One incarnation of an entity instance in the user function: an open <c>EventSourced.handle</c> stream that has been
/// sent init and the journal's events, and takes commands one at a time.
/// </summary>
internal sealed class EntitySession : IAsyncDisposable
{
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);
    private readonly AsyncDuplexStreamingCall<EventSourcedStreamIn, EventSourcedStreamOut> call;
    private long lastCommandId;

    private EntitySession(AsyncDuplexStreamingCall<EventSourcedStreamIn, EventSourcedStreamOut> call) => this.call = call;

    /// <summary>The sequence number of the last event the user function has seen.</summary>
    public SequenceNumber Sequence { get; set; }

    /// <summary>Opens the stream and replays <paramref name="snapshot"/> and the events after it.</summary>
    public static async Task<EntitySession> OpenAsync(
        EventSourcedClient client, string serviceName, string entityKey, StreamId stream, Snapshot? snapshot, IJournalReader journal, CancellationToken cancellationToken)
    {
        var session = new EntitySession(client.handle(cancellationToken: cancellationToken));
        try
        {
            var init = new EventSourcedInit { ServiceName = serviceName, EntityId = entityKey };
            if (snapshot is { } s)
            {
                init.Snapshot = new EventSourcedSnapshot { SnapshotSequence = s.Sequence.Value, Snapshot = new Any { TypeUrl = s.TypeUrl, Value = ByteString.CopyFrom(s.Data.Span) } };
                session.Sequence = s.Sequence;
            }

            var requests = session.call.RequestStream;
            requests.WriteOptions = Buffered;
            await requests.WriteAsync(new EventSourcedStreamIn { Init = init }, cancellationToken).ConfigureAwait(false);
            await foreach (var stored in journal.ReadAsync(stream, session.Sequence.Next, cancellationToken).ConfigureAwait(false))
            {
                var @event = new EventSourcedEvent { Sequence = stored.Sequence.Value, Payload = new Any { TypeUrl = stored.TypeUrl, Value = UnsafeByteOperations.UnsafeWrap(stored.Data) } };
                await requests.WriteAsync(new EventSourcedStreamIn { Event = @event }, cancellationToken).ConfigureAwait(false);
                session.Sequence = stored.Sequence;
            }

            requests.WriteOptions = null;
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends a command with the next command id; null when the user function ended the stream instead of answering.</summary>
    public async Task<(long CommandId, EventSourcedStreamOut? Output)> SendAsync(string entityKey, EntityCommand command, CancellationToken cancellationToken)
    {
        var id = ++lastCommandId;
        var wire = new Command
        {
            EntityId = entityKey,
            Id = id,
            Name = command.Method,
            Payload = new Any { TypeUrl = command.PayloadTypeUrl, Value = command.Payload },
            Metadata = command.Metadata,
        };
        await call.RequestStream.WriteAsync(new EventSourcedStreamIn { Command = wire }, cancellationToken).ConfigureAwait(false);
        var answered = await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
        return (id, answered ? call.ResponseStream.Current : null);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
            // The stream is already broken or closed; disposing below releases it either way.
        }

        call.Dispose();
    }
}
