using System.Diagnostics;
using System.Globalization;

namespace Cloudstate.Es.Load;

/// <summary>
/// The proxy's memory per active entity: one Increment to each of N counters that did not exist before, by concurrent
/// clients, with the proxy's resident memory read before (after a warm-up of its own fresh counters, so connections,
/// JIT and pools are already paid for) and after. Every instance stays active only until the proxy's passivation
/// timeout (30 s by default; give the proxy's when it was started with another), so the run has to end well inside
/// it. Resident memory also holds garbage not yet collected (much of it under the server GC), so it is an upper bound
/// of what an entity keeps alive; the live heap after a full GC (<see cref="LiveHeap"/>, before and after) is what
/// the entities keep alive in the proxy's managed heap.
/// </summary>
internal sealed class ActivationRun(string target, int entities, int clients, int? proxyPid, string label, TimeSpan passivationTimeout)
{
    private const int WarmUpEntities = 500;
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private int next;

    public async Task RunAsync()
    {
        using var command = new EntityCommand(EntityKind.Counter, target, "grpc", clients);
        await command.SendUntilAnsweredAsync($"activate-{run}-first");
        await ActivateAsync(command, "warm", WarmUpEntities);
        var before = Rss();
        var heapBefore = await HeapAsync();
        var clock = Stopwatch.StartNew();
        await ActivateAsync(command, "n", entities);
        var elapsed = clock.Elapsed;
        var after = Rss();
        var heapAfter = await HeapAsync();

        Console.WriteLine($"activated {entities} counters (run {run}) in {elapsed.TotalSeconds:F1} s ({entities / elapsed.TotalSeconds:F0}/s)");
        if (elapsed > passivationTimeout / 2)
            Console.WriteLine($"warning: the run took more than half the proxy's passivation timeout ({passivationTimeout.TotalSeconds:F0} s); the first counters may have passivated");
        if (before is not { } rssBefore || after is not { } rssAfter || heapBefore is not { } liveBefore || heapAfter is not { } liveAfter)
        {
            Console.WriteLine("no --proxy-pid: memory not measured");
            return;
        }

        var perEntity = (rssAfter - rssBefore) * 1024.0 / entities;
        var livePerEntity = (liveAfter - liveBefore) / (double)entities;
        Console.WriteLine($"proxy rss {rssBefore / 1024.0:F1} MB -> {rssAfter / 1024.0:F1} MB: {perEntity:F0} bytes per active entity");
        Console.WriteLine($"proxy live heap {liveBefore / 1048576.0:F1} MB -> {liveAfter / 1048576.0:F1} MB: {livePerEntity:F0} bytes per active entity");
        Console.WriteLine();
        Console.WriteLine(Line("bytes_per_entity", perEntity, "F0", "bytes"));
        Console.WriteLine(Line("live_heap_bytes_per_entity", livePerEntity, "F0", "bytes"));
        Console.WriteLine(Line("live_heap_before_mb", liveBefore / 1048576.0, "F1", "MB"));
        Console.WriteLine(Line("live_heap_after_mb", liveAfter / 1048576.0, "F1", "MB"));
        Console.WriteLine(Line("entities", entities, "F0", "entities"));
        Console.WriteLine(Line("rss_before_mb", rssBefore / 1024.0, "F1", "MB"));
        Console.WriteLine(Line("rss_after_mb", rssAfter / 1024.0, "F1", "MB"));
    }

    /// <summary>One Increment to each of <paramref name="count"/> new counters, shared out among the clients as they are free.</summary>
    private async Task ActivateAsync(EntityCommand command, string batch, int count)
    {
        next = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) <= count;)
                await command.SendAsync($"activate-{run}-{batch}-{i}");
        }));
    }

    private long? Rss() => proxyPid is { } pid ? ProcessSampler.RssKb(pid) : null;

    private async Task<long?> HeapAsync() => proxyPid is { } pid ? await LiveHeap.MeasureAsync(pid) : null;

    private string Line(string figure, double value, string format, string unit) =>
        $"RESULT memory.{label}.{figure}={value.ToString(format, CultureInfo.InvariantCulture)} {unit}";
}
