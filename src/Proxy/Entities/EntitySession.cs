using Cloudstate.Es.Journal;
using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.Proxy.UserFunction;
using Cloudstate.Es.Snapshots;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Cloudstate.Es.Proxy.Entities;

/// <summary>
/// One incarnation of an entity instance in the user function: an open <c>EventSourced.handle</c> stream that has been
/// sent init and the journal's events, and takes commands one at a time.
/// </summary>
internal sealed class EntitySession : IAsyncDisposable
{
    // Replayed events go out in writes of about this many bytes: large enough that a long replay is a few hundred
    // writes, small enough that the user function starts applying events while the journal is still being read.
    private const int ReplayFlushBytes = 64 * 1024;
    private readonly EntityStreamCall call;
    private long lastCommandId;

    private EntitySession(EntityStreamCall call) => this.call = call;

    /// <summary>The id of the last command sent on this stream (ids count from 1 per stream).</summary>
    public long LastCommandId => lastCommandId;

    /// <summary>The sequence number of the last event the user function has seen.</summary>
    public SequenceNumber Sequence { get; set; }

    /// <summary>
    /// Opens the stream and replays <paramref name="snapshot"/> and the events after it. Each write of the replay must be
    /// taken by the user function within <paramref name="progressTimeout"/>, else the replay fails with
    /// <see cref="TimeoutException"/> (a long replay may take longer in all, as long as it keeps moving).
    /// </summary>
    public static async Task<EntitySession> OpenAsync(
        UserFunctionChannel userFunction, string serviceName, string entityKey, StreamId stream, Snapshot? snapshot, IJournalReader journal,
        TimeSpan progressTimeout, CancellationToken cancellationToken)
    {
        var session = new EntitySession(EntityStreamCall.Start(userFunction.Invoker, userFunction.HandleAddress, userFunction.MaxMessageSize, cancellationToken));
        try
        {
            var init = new EventSourcedInit { ServiceName = serviceName, EntityId = entityKey };
            if (snapshot is { } s)
            {
                init.Snapshot = new EventSourcedSnapshot { SnapshotSequence = s.Sequence.Value, Snapshot = new Any { TypeUrl = s.TypeUrl, Value = ByteString.CopyFrom(s.Data.Span) } };
                session.Sequence = s.Sequence;
            }

            var call = session.call;
            call.Buffer(new EventSourcedStreamIn { Init = init });
            var buffered = 0;
            await foreach (var stored in journal.ReadAsync(stream, session.Sequence.Next, cancellationToken).ConfigureAwait(false))
            {
                var @event = new EventSourcedEvent { Sequence = stored.Sequence.Value, Payload = new Any { TypeUrl = stored.TypeUrl, Value = UnsafeByteOperations.UnsafeWrap(stored.Data) } };
                call.Buffer(new EventSourcedStreamIn { Event = @event });
                session.Sequence = stored.Sequence;
                buffered += stored.Data.Length + stored.TypeUrl.Length;
                if (buffered >= ReplayFlushBytes)
                {
                    await FlushWithinAsync(call, progressTimeout, cancellationToken).ConfigureAwait(false);
                    buffered = 0;
                }
            }

            await FlushWithinAsync(call, progressTimeout, cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.call.AbortAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task FlushWithinAsync(EntityStreamCall call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var progress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        progress.CancelAfter(timeout);
        try
        {
            await call.FlushAsync(progress.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the user function took no replayed events for {timeout.TotalSeconds:0.###} s");
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
        call.Buffer(new EventSourcedStreamIn { Command = wire });
        await call.FlushAsync(cancellationToken).ConfigureAwait(false);
        return (id, await call.ReadAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Ends the stream: the user function sees the end of its input, and the call is released.</summary>
    public ValueTask DisposeAsync() => call.DisposeAsync();

    /// <summary>Resets the stream at once, for a user function that stopped answering or broke the protocol.</summary>
    public ValueTask AbortAsync() => call.AbortAsync();
}
