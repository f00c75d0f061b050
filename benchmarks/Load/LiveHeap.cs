using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Cloudstate.Es.Load;

/// <summary>
/// The live heap of a .NET process: an EventPipe session on its diagnostics port with the runtime's GCHeapCollect
/// keyword, which makes the runtime run a full blocking GC at once (as dotnet-gcdump does), and the heap statistics
/// that GC reports. What is left is what the process keeps alive, without the garbage resident memory also holds.
/// </summary>
internal static class LiveHeap
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The bytes of all generations (the large and pinned object heaps included) after a full GC of <paramref name="pid"/>.</summary>
    public static async Task<long> MeasureAsync(int pid)
    {
        var client = new DiagnosticsClient(pid);
        var provider = new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Informational, GcKeyword | GcHeapCollectKeyword);
        using var session = await client.StartEventPipeSessionAsync([provider], requestRundown: false, circularBufferMB: 64, CancellationToken.None);
        var induced = false;
        var heap = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new EventPipeEventSource(session.EventStream);
        // The heap statistics follow the end of each GC: those of the first full induced GC are the ones asked for.
        source.Clr.GCStart += e => induced |= e.Depth == 2 && e.Reason is GCReason.Induced or GCReason.InducedNotForced;
        source.Clr.GCHeapStats += e =>
        {
            if (induced)
                heap.TrySetResult(e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4);
        };
        var processing = Task.Run(source.Process);
        try
        {
            return await heap.Task.WaitAsync(Timeout);
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await processing.WaitAsync(Timeout);
            source.Dispose();
        }
    }
}
