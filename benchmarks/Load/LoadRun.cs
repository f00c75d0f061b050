using System.Diagnostics;
using Grpc.Core;

namespace Cloudstate.Es.Load;

/// <summary>
/// Concurrent clients, each with one command in flight, for a number of seconds or until a number of commands has
/// been sent: as fast as answered, or paced on a <see cref="Timetable"/>. A progress line every second, the proxy's
/// CPU and memory when its process id is given, and the latency figures at the end.
/// </summary>
internal sealed class LoadRun(LoadOptions options)
{
    private long completed;
    private long errors;
    private long issued;

    public async Task RunAsync()
    {
        using var command = new EntityCommand(options.Entity, options.Target, options.Protocol, options.Clients);
        await command.SendUntilAnsweredAsync("warm-up");
        var sampler = options.ProxyPid is { } pid ? ProcessSampler.Start(pid) : null;
        var origin = Stopwatch.GetTimestamp();
        using var progress = new ProgressLine(() => (Interlocked.Read(ref completed), Interlocked.Read(ref errors)), sampler);
        var latencies = await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(client => ClientAsync(command, client, origin)));
        var elapsed = Stopwatch.GetElapsedTime(origin);
        progress.Stop();
        var usage = sampler?.Finish();

        var figures = LoadFigures.From(options.Label, latencies, elapsed, options.Rate, usage);
        var pacing = options.Rate is { } rate ? $"rate={rate}/s" : "rate=closed-loop";
        Console.WriteLine($"entity={options.Entity.Name()} protocol={options.Protocol} clients={options.Clients} entities={options.Entities} {pacing} seconds={elapsed.TotalSeconds:F1} commands={figures.Commands} errors={errors}");
        Console.WriteLine(figures.Summary());
        Console.WriteLine();
        foreach (var line in figures.ResultLines())
            Console.WriteLine(line);
    }

    private async Task<List<double>> ClientAsync(EntityCommand command, int client, long origin)
    {
        var mine = new List<double>(100_000);
        var random = new Random(client);
        var timetable = options.Rate is { } rate ? new Timetable(origin, rate, options.Clients, client) : null;
        var prefix = options.Entity.Name();
        for (long k = 0; More(k, timetable, origin); k++)
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
    /// (paced) or sent (closed loop) within the run's seconds.</summary>
    private bool More(long k, Timetable? timetable, long origin) => options.Count is { } count
        ? Interlocked.Increment(ref issued) <= count
        : (timetable?.Due(k) ?? Stopwatch.GetElapsedTime(origin)) < TimeSpan.FromSeconds(options.Seconds);
}
