using System.Diagnostics;
using Grpc.Core;

namespace Cloudstate.Es.Load;

/// <summary>
/// Concurrent clients, each with one command in flight, for a number of seconds or until a number of commands has
/// been sent: as fast as answered, or paced on a <see cref="Timetable"/>. First, when asked, the same load unmeasured
/// for the warm-up seconds; then a progress line every second, the proxy's CPU and memory when its process id is
/// given, and the latency figures at the end.
/// </summary>
internal sealed class LoadRun(LoadOptions options)
{
    private long completed;
    private long errors;
    private long issued;

    public async Task RunAsync()
    {
        using var command = new EntityCommand(options.Entity, options.Target, options.Protocol, options.Clients, options.Read);
        await command.SendUntilAnsweredAsync("warm-up");
        if (options.WarmupSeconds > 0)
            await WarmUpAsync(command);

        var sampler = options.ProxyPid is { } pid ? ProcessSampler.Start(pid) : null;
        var userFunction = options.UserFunctionPid is { } ufPid ? ProcessSampler.Start(ufPid) : null;
        var self = ProcessSampler.Start(Environment.ProcessId);
        var origin = Stopwatch.GetTimestamp();
        using var progress = new ProgressLine(() => (Interlocked.Read(ref completed), Interlocked.Read(ref errors)), sampler);
        var latencies = await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(client => ClientAsync(command, client, origin, options.Count)));
        var elapsed = Stopwatch.GetElapsedTime(origin);
        progress.Stop();
        var usage = new LoadUsage(sampler?.Finish(), userFunction?.Finish().CpuPercent, self.Finish().CpuPercent);

        var figures = LoadFigures.From(options.Label, latencies, Interlocked.Read(ref errors), elapsed, options.Rate, usage);
        var pacing = options.Rate is { } rate ? $"rate={rate}/s" : "rate=closed-loop";
        var what = options.Read ? "read" : "write";
        Console.WriteLine($"entity={options.Entity.Name()} command={what} protocol={options.Protocol} clients={options.Clients} entities={options.Entities} {pacing} warmup={options.WarmupSeconds}s seconds={elapsed.TotalSeconds:F1} commands={figures.Commands} errors={errors}");
        Console.WriteLine(figures.Summary());
        Console.WriteLine();
        foreach (var line in figures.ResultLines())
            Console.WriteLine(line);
    }

    /// <summary>The run's load, paced the same, for the warm-up seconds; its latencies are dropped and its counters reset.</summary>
    private async Task WarmUpAsync(EntityCommand command)
    {
        var origin = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(client => ClientAsync(command, client, origin, count: null, options.WarmupSeconds)));
        Console.WriteLine($"warm-up: {options.WarmupSeconds} s, {completed:N0} commands ({completed / (double)options.WarmupSeconds:F0}/s), {errors:N0} errors; not measured");
        completed = 0;
        errors = 0;
    }

    private async Task<List<double>> ClientAsync(EntityCommand command, int client, long origin, long? count, int? seconds = null)
    {
        var mine = new List<double>(100_000);
        var random = new Random(client);
        var timetable = options.Rate is { } rate ? new Timetable(origin, rate, options.Clients, client) : null;
        var duration = TimeSpan.FromSeconds(seconds ?? options.Seconds);
        var prefix = options.Entity.Name();
        for (long k = 0; More(k, timetable, origin, count, duration); k++)
        {
            var id = $"{prefix}-{random.Next(options.Entities)}";
            var started = timetable is null ? Stopwatch.GetTimestamp() : await timetable.WaitAsync(k);
            try
            {
                await command.SendAsync(id);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref completed);
            }
            catch (RpcException)
            {
                Interlocked.Increment(ref errors);
            }
        }

        return mine;
    }

    /// <summary>Whether the client sends its command <paramref name="k"/>: while the count lasts, else while it is due
    /// (paced) or sent (closed loop) within the duration.</summary>
    private bool More(long k, Timetable? timetable, long origin, long? count, TimeSpan duration) => count is { } total
        ? Interlocked.Increment(ref issued) <= total
        : (timetable?.Due(k) ?? Stopwatch.GetElapsedTime(origin)) < duration;
}
