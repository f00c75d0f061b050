using System.Diagnostics;
using System.Runtime.CompilerServices;
using EventStore.Client;
using EventStore.Client.Streams;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Status = Google.Rpc.Status;

namespace Cloudstate.Es.Journal.EventStoreDb;

/// <summary>
/// The EventStoreDB journal: one stream per entity instance (see <see cref="StreamNames"/>), our sequence number N at the
/// stream revision N-1, the event's type URL in its <c>type</c> and its <c>Any</c> bytes as its data. Appends of all
/// entities share one BatchAppend call, and each event's id is fixed when the append is made, so an append whose
/// connection broke after it was sent is sent again as it was and the node stores it at most once.
/// </summary>
public sealed class EventStoreDbJournal : IJournal, IAsyncDisposable
{
    internal const string ContentType = "application/octet-stream";
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);
    private readonly EventStoreDbNode node;
    private readonly BatchAppendCall appends;

    private EventStoreDbJournal(EventStoreDbNode node)
    {
        this.node = node;
        appends = new BatchAppendCall(node);
    }

    /// <summary>Opens the journal once the node answers; throws <see cref="Grpc.Core.RpcException"/> when it does not. The node stays with its owner.</summary>
    public static async Task<EventStoreDbJournal> OpenAsync(EventStoreDbNode node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        await node.PingAsync(cancellationToken).ConfigureAwait(false);
        return new EventStoreDbJournal(node);
    }

    /// <summary>The journal without the check that the node answers: for tests of a node that is not there.</summary>
    internal static EventStoreDbJournal Unchecked(EventStoreDbNode node) => new(node);

    public async ValueTask<AppendResult> AppendAsync(StreamId stream, SequenceNumber expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        AppendArguments.Check(stream, expected, events);
        cancellationToken.ThrowIfCancellationRequested();
        if (events.Count == 0)
        {
            var last = await ReadLastSequenceAsync(stream, cancellationToken).ConfigureAwait(false);
            return last == expected ? AppendResult.Written(expected) : AppendResult.Conflict(last);
        }

        var request = Request(node.Names.Events(stream), expected, events);
        var clock = Stopwatch.StartNew();
        var maybeStored = false;
        while (true)
        {
            Exception lost;
            try
            {
                // Once the node may have stored it, the append is seen through whatever the caller's token says.
                var response = await appends.AppendAsync(request, maybeStored ? CancellationToken.None : cancellationToken).ConfigureAwait(false);
                if (Outcome(response, stream, expected, events.Count) is { } result)
                    return result;
                lost = new TimeoutException($"EventStoreDB timed out committing the append to '{stream}'.");
                maybeStored = true;
            }
            catch (BatchAppendLostException e)
            {
                maybeStored |= e.Sent;
                if (!maybeStored)
                    throw new EventStoreDbUnavailableException($"EventStoreDB at {node.Options.Address} cannot be reached: {e.InnerException?.Message}", e);
                lost = e;
            }

            if (clock.Elapsed + RetryPause >= node.Options.OutcomeTimeout)
            {
                throw new AppendOutcomeUnknownException(
                    $"The journal lost EventStoreDB while appending to '{stream}' and could not learn within {node.Options.OutcomeTimeout.TotalSeconds:0.#} s whether the events were stored.",
                    lost);
            }

            await Task.Delay(RetryPause, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<StoredEvent> ReadAsync(StreamId stream, SequenceNumber from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        var revision = (ulong)Math.Max(from.Value, SequenceNumber.First.Value) - 1;
        await foreach (var recorded in node.ReadAsync(node.Names.Events(stream), revision, backwards: false, ulong.MaxValue, deadline: null, cancellationToken).ConfigureAwait(false))
        {
            var sequence = new SequenceNumber((long)recorded.StreamRevision + 1);
            if (!recorded.Metadata.TryGetValue("type", out var typeUrl) || !recorded.Metadata.TryGetValue("content-type", out var contentType) || contentType != ContentType)
                throw new InvalidDataException($"Event {sequence} of stream '{stream}' is not a protobuf Any written through Cloudstate (its content type is not {ContentType}).");
            yield return new StoredEvent(sequence, typeUrl, recorded.Data.Memory);
        }
    }

    public async ValueTask<SequenceNumber> ReadLastSequenceAsync(StreamId stream, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        await foreach (var recorded in node.ReadAsync(node.Names.Events(stream), revision: null, backwards: true, 1, node.Deadline, cancellationToken).ConfigureAwait(false))
            return new SequenceNumber((long)recorded.StreamRevision + 1);
        return SequenceNumber.None;
    }

    /// <summary>Lets the appends in flight finish; the node stays with its owner.</summary>
    public ValueTask DisposeAsync() => appends.DisposeAsync();

    private BatchAppendReq Request(string stream, SequenceNumber expected, IReadOnlyList<EventData> events)
    {
        var options = new BatchAppendReq.Types.Options
        {
            StreamIdentifier = StreamNames.Identifier(stream),
            Deadline = Duration.FromTimeSpan(node.Options.CallTimeout),
        };
        if (expected == SequenceNumber.None)
            options.NoStream = new Google.Protobuf.WellKnownTypes.Empty();
        else
            options.StreamPosition = (ulong)expected.Value - 1;
        var request = new BatchAppendReq { CorrelationId = Uuids.From(Guid.NewGuid()), Options = options, IsFinal = true };
        foreach (var e in events)
        {
            request.ProposedMessages.Add(new BatchAppendReq.Types.ProposedMessage
            {
                Id = Uuids.From(Guid.CreateVersion7()),
                Metadata = { ["type"] = e.TypeUrl, ["content-type"] = ContentType },
                Data = UnsafeByteOperations.UnsafeWrap(e.Data),
            });
        }

        return request;
    }

    /// <summary>The append's result; null when the node timed out committing it (stored or not, it cannot say); throws when it refused.</summary>
    private static AppendResult? Outcome(BatchAppendResp response, StreamId stream, SequenceNumber expected, int count)
    {
        if (response.ResultCase == BatchAppendResp.ResultOneofCase.Success)
        {
            // Also when the node found the same event ids already there (a retried append): they sit right after expected.
            return AppendResult.Written(new SequenceNumber(expected.Value + count));
        }

        var error = response.Error ?? new Status { Code = Google.Rpc.Code.Unknown, Message = "no result" };
        if (error.Code == Google.Rpc.Code.AlreadyExists && error.Details is { } details && details.TryUnpack<WrongExpectedVersion>(out var wrong))
        {
            return AppendResult.Conflict(wrong.CurrentStreamRevisionOptionCase == WrongExpectedVersion.CurrentStreamRevisionOptionOneofCase.CurrentStreamRevision
                ? new SequenceNumber((long)wrong.CurrentStreamRevision + 1)
                : SequenceNumber.None);
        }

        if (error.Code == Google.Rpc.Code.DeadlineExceeded)
            return null;
        throw new EventStoreDbAppendRefusedException($"EventStoreDB refused the append to '{stream}': {error.Code} {error.Message}");
    }
}
