using Cloudstate.Es.Journal.EventStoreDb;
using EventStore.Client.Streams;
using Google.Protobuf;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// The other way EventStoreDB takes many streams' appends at once: one <c>Append</c> call per append, as many in flight
/// as there are streams (each stream's next append sent as soon as its last is answered), all over one channel. Measured
/// beside the BatchAppend pipeline to choose the journal's way of writing.
/// </summary>
internal static class EventStoreDbRawAppend
{
    /// <summary>Events per second over <paramref name="duration"/> with <paramref name="streamCount"/> Append calls in flight.</summary>
    public static async Task<double> PipelineAsync(Uri address, int streamCount, EventData sample, TimeSpan duration)
    {
        using var node = new EventStoreDbNode(new EventStoreDbOptions(address));
        var prefix = $"rawappend{Guid.NewGuid():N}|w";
        var data = ByteString.CopyFrom(sample.Data.Span);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var written = await Task.WhenAll(Enumerable.Range(0, streamCount).Select(s => Task.Run(async () =>
        {
            var stream = prefix + s;
            long events = 0;
            for (ulong? expected = null; clock.Elapsed < duration; expected = expected is { } last ? last + 1 : 0)
            {
                var message = new AppendReq.Types.ProposedMessage
                {
                    Id = Uuids.From(Guid.NewGuid()),
                    Metadata = { ["type"] = sample.TypeUrl, ["content-type"] = "application/octet-stream" },
                    Data = data,
                };
                var response = await node.AppendAsync(stream, expected, [message], CancellationToken.None);
                if (response.ResultCase != AppendResp.ResultOneofCase.Success)
                    throw new InvalidOperationException($"EventStoreDB refused a raw append: {response.WrongExpectedVersion}");
                events++;
            }

            return events;
        })));
        return written.Sum() / clock.Elapsed.TotalSeconds;
    }
}
