using Cloudstate.Es.Journal.EventStoreDb;
using EventStore.Client.Streams;
using Google.Protobuf;
using Grpc.Core;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// The EventStoreDB ceiling, straight through one BatchAppend call with no journal and no per-append bookkeeping: in
/// rounds (one event to each stream, all written before the answers are read) or as a pipeline (one append per stream
/// always in flight).
/// </summary>
internal sealed class EventStoreDbRawBatch : IRawEventTable
{
    private readonly EventStoreDbNode node;
    private readonly AsyncDuplexStreamingCall<BatchAppendReq, BatchAppendResp> call;
    private readonly string[] streams;
    private readonly ByteString data;
    private readonly string typeUrl;

    public EventStoreDbRawBatch(Uri address, int streamCount, EventData sample)
    {
        node = new EventStoreDbNode(new EventStoreDbOptions(address));
        call = node.Streams.BatchAppend();
        var prefix = $"raw{Guid.NewGuid():N}|w";
        streams = Enumerable.Range(0, streamCount).Select(s => prefix + s).ToArray();
        data = ByteString.CopyFrom(sample.Data.Span);
        typeUrl = sample.TypeUrl;
    }

    /// <summary>
    /// Events per second with one append per stream always in flight on the call: a reader takes the answers and hands
    /// each answered stream to a writer, which sends its next append at once, so the node never waits for a round's
    /// slowest answer nor the writer for the reader. The best batching the API allows without a journal: what the
    /// journal's BatchAppend group commit is measured against.
    /// </summary>
    public async Task<double> PipelineAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var next = new long[streams.Length];
        var waiting = new System.Collections.Concurrent.ConcurrentDictionary<Guid, int>();
        var answeredStreams = System.Threading.Channels.Channel.CreateUnbounded<int>(new() { SingleReader = true, SingleWriter = true });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var writer = Task.Run(async () =>
        {
            for (var s = 0; s < streams.Length; s++)
                await SendAsync(s, next[s]++, waiting, cancellationToken);
            // The reader alone decides whether a stream goes on, so that it knows how many answers are still to come.
            await foreach (var stream in answeredStreams.Reader.ReadAllAsync(cancellationToken))
                await SendAsync(stream, next[stream]++, waiting, cancellationToken);
        }, cancellationToken);

        long answered = 0;
        var outstanding = streams.Length;
        while (outstanding > 0)
        {
            if (!await call.ResponseStream.MoveNext(cancellationToken))
                throw new InvalidOperationException("EventStoreDB ended the BatchAppend call.");
            var response = call.ResponseStream.Current;
            if (response.ResultCase != BatchAppendResp.ResultOneofCase.Success)
                throw new InvalidOperationException($"EventStoreDB refused a raw append: {response.Error}");
            waiting.TryRemove(Uuids.ToGuid(response.CorrelationId), out var stream);
            answered++;
            // Past the duration no stream is sent again, so each answer then ends one stream's chain.
            if (clock.Elapsed < duration)
                answeredStreams.Writer.TryWrite(stream);
            else
                outstanding--;
        }

        var rate = answered / clock.Elapsed.TotalSeconds;
        answeredStreams.Writer.TryComplete();
        await writer;
        return rate;
    }

    private async Task SendAsync(int stream, long index, System.Collections.Concurrent.ConcurrentDictionary<Guid, int> waiting, CancellationToken cancellationToken)
    {
        var request = Request(streams[stream], index + 1);
        waiting[Uuids.ToGuid(request.CorrelationId)] = stream;
        await call.RequestStream.WriteAsync(request, cancellationToken);
    }

    private BatchAppendReq Request(string stream, long round)
    {
        var options = new BatchAppendReq.Types.Options { StreamIdentifier = StreamNames.Identifier(stream) };
        if (round == 1)
            options.NoStream = new Google.Protobuf.WellKnownTypes.Empty();
        else
            options.StreamPosition = (ulong)round - 2;
        var request = new BatchAppendReq { CorrelationId = Uuids.From(Guid.NewGuid()), Options = options, IsFinal = true };
        request.ProposedMessages.Add(new BatchAppendReq.Types.ProposedMessage
        {
            Id = Uuids.From(Guid.NewGuid()),
            Metadata = { ["type"] = typeUrl, ["content-type"] = "application/octet-stream" },
            Data = data,
        });
        return request;
    }

    public async Task InsertRoundAsync(long round, CancellationToken cancellationToken)
    {
        foreach (var stream in streams)
            await call.RequestStream.WriteAsync(Request(stream, round), cancellationToken);

        for (var answered = 0; answered < streams.Length; answered++)
        {
            if (!await call.ResponseStream.MoveNext(cancellationToken))
                throw new InvalidOperationException("EventStoreDB ended the BatchAppend call.");
            if (call.ResponseStream.Current.ResultCase != BatchAppendResp.ResultOneofCase.Success)
                throw new InvalidOperationException($"EventStoreDB refused a raw append: {call.ResponseStream.Current.Error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await call.RequestStream.CompleteAsync();
        call.Dispose();
        node.Dispose();
    }
}
