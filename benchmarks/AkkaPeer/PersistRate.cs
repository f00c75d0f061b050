using System.Diagnostics;
using Akka.Actor;

namespace Cloudstate.Es.Benchmarks.AkkaPeer;

/// <summary>Figures of one persist-rate run.</summary>
public sealed record PersistFigures(long Commands, int Timeouts, double Seconds, double P50Ms, double P99Ms, double MaxMs)
{
    public double Rate => Commands / Seconds;
}

/// <summary>N clients, each asking one random counter of M for an Increment and awaiting the reply, for D seconds
/// after the same load for the warm-up seconds.</summary>
public sealed class PersistRate(PeerOptions options)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Starts the counters, warms each with one command (its recovery and the plugin's start) and then with the
    /// load itself for the warm-up seconds, then times the load.</summary>
    public async Task<PersistFigures> RunAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        var counters = Enumerable.Range(0, options.Counters)
            .Select(n => system.ActorOf(CounterEntity.Props($"counter-{n}"), $"counter-{n}"))
            .ToArray();
        var acknowledged = new long[counters.Length];
        var highest = new long[counters.Length];

        var warmUp = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, counters.Length),
            new ParallelOptions { MaxDegreeOfParallelism = options.Clients, CancellationToken = cancellationToken },
            async (n, token) => Record(n, await counters[n].Ask<long>(new Increment(1), AskTimeout, token)));
        Console.WriteLine($"warm-up: {counters.Length} counters recovered and incremented once in {warmUp.Elapsed.TotalSeconds:F1} s");
        var warmTimeouts = 0;
        if (options.Warmup > 0)
        {
            var (warmLatencies, warmMissed, _) = await LoadAsync(TimeSpan.FromSeconds(options.Warmup));
            warmTimeouts = warmMissed;
            Console.WriteLine($"warm-up: {warmLatencies.Sum(l => l.Count)} commands in {options.Warmup} s, timeouts {warmTimeouts}; not measured");
        }

        var (latencies, timeouts, seconds) = await LoadAsync(TimeSpan.FromSeconds(options.Seconds));

        Verify(acknowledged, highest, timeouts + warmTimeouts);
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Quantile(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        return new PersistFigures(all.Length, timeouts, seconds, Quantile(0.50), Quantile(0.99), all.LastOrDefault());

        async Task<(List<double>[] Latencies, int Timeouts, double Seconds)> LoadAsync(TimeSpan duration)
        {
            var perClient = new List<double>[options.Clients];
            var missed = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(client => Task.Run(async () =>
            {
                var mine = perClient[client] = new List<double>(64 * 1024);
                var random = new Random(client);
                while (clock.Elapsed < duration)
                {
                    var n = random.Next(counters.Length);
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        var value = await counters[n].Ask<long>(new Increment(1), AskTimeout, cancellationToken);
                        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        Record(n, value);
                    }
                    catch (AskTimeoutException)
                    {
                        Interlocked.Increment(ref missed);
                    }
                }
            }, cancellationToken)));
            return (perClient, missed, clock.Elapsed.TotalSeconds);
        }

        void Record(int n, long value)
        {
            Interlocked.Increment(ref acknowledged[n]);
            var seen = Volatile.Read(ref highest[n]);
            while (value > seen)
            {
                var previous = Interlocked.CompareExchange(ref highest[n], value, seen);
                if (previous == seen)
                    break;
                seen = previous;
            }
        }
    }

    // Every acknowledged Increment(1) must have moved its counter by exactly one: the highest value a counter
    // replied is the number of its acknowledged commands. A timed-out command may still have been applied, so
    // after timeouts a counter may only be ahead.
    private static void Verify(long[] acknowledged, long[] highest, int timeouts)
    {
        var wrong = Enumerable.Range(0, acknowledged.Length)
            .Where(n => timeouts == 0 ? acknowledged[n] != highest[n] : acknowledged[n] > highest[n])
            .ToArray();
        if (wrong.Length > 0)
        {
            var n = wrong[0];
            throw new InvalidOperationException(
                $"{wrong.Length} counter(s) disagree with their acknowledged commands, e.g. counter-{n}: {acknowledged[n]} acknowledged, highest reply {highest[n]}");
        }
    }
}
