using System.Diagnostics;
using System.Globalization;

namespace Cloudstate.Es.Load;

/// <summary>
/// The proxy's memory per active entity: one Increment to each of N counters that did not exist before, by concurrent
/// clients, with the proxy's resident memory read before (after a warm-up of its own fresh counters, so connections,
/// JIT and pools are already paid for) and after. Every instance stays active only until the proxy's passivation
/// timeout (30 s by default; give the proxy's when it was started with another), so the run has to end well inside
/// it. Resident memory also holds garbage not yet collected (much of it under the server GC), so this is an upper
/// bound of what an entity keeps alive.
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
        var clock = Stopwatch.StartNew();
        await ActivateAsync(command, "n", entities);
        var elapsed = clock.Elapsed;
        var after = Rss();

        Console.WriteLine($"activated {entities} counters (run {run}) in {elapsed.TotalSeconds:F1} s ({entities / elapsed.TotalSeconds:F0}/s)");
        if (elapsed > passivationTimeout / 2)
            Console.WriteLine($"warning: the run took more than half the proxy's passivation timeout ({passivationTimeout.TotalSeconds:F0} s); the first counters may have passivated");
        if (before is not { } rssBefore || after is not { } rssAfter)
        {
            Console.WriteLine("no --proxy-pid: memory not measured");
            return;
        }

        var perEntity = (rssAfter - rssBefore) * 1024.0 / entities;
        Console.WriteLine($"proxy rss {rssBefore / 1024.0:F1} MB -> {rssAfter / 1024.0:F1} MB: {perEntity:F0} bytes per active entity");
        Console.WriteLine();
        Console.WriteLine(Line("bytes_per_entity", perEntity, "F0", "bytes"));
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

    private string Line(string figure, double value, string format, string unit) =>
        $"RESULT memory.{label}.{figure}={value.ToString(format, CultureInfo.InvariantCulture)} {unit}";
}
