using Cloudstate.Es.Journal.EventStoreDb;
using EventStore.Client.Streams;
using Google.Protobuf;
using Grpc.Core;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// The EventStoreDB ceiling: a round of one event to each of the streams sent straight through one BatchAppend call, all
/// requests of the round written back to back before the answers are read. No journal, no per-append bookkeeping.
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

    public async Task InsertRoundAsync(long round, CancellationToken cancellationToken)
    {
        foreach (var stream in streams)
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
            await call.RequestStream.WriteAsync(request, cancellationToken);
        }

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
