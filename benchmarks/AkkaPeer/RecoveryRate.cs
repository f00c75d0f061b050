using System.Diagnostics;
using Akka.Actor;

namespace Cloudstate.Es.Benchmarks.AkkaPeer;

/// <summary>Figures of one recovery-rate run: the cold recovery (the first long one the system does) and the warm one
/// (a second counter as long, next in the same system), as our replay's cold and warm instances.</summary>
public sealed record RecoveryFigures(long Events, double FillSeconds, double ColdSeconds, double WarmSeconds)
{
    public double FillRate => 2 * Events / FillSeconds;

    public double ColdRate => Events / ColdSeconds;

    public double WarmRate => Events / WarmSeconds;
}

/// <summary>Seeds two counters with E events each, then times their recoveries (no snapshot) in a fresh actor system.</summary>
public sealed class RecoveryRate(PeerOptions options)
{
    private static readonly TimeSpan FillTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The counter recovered cold: the one after the persist-rate run's counters.</summary>
    public string ColdId => $"counter-{options.Counters}";

    /// <summary>The counter recovered warm, after <see cref="ColdId"/>.</summary>
    public string WarmId => $"counter-{options.Counters + 1}";

    /// <summary>Persists the events of both counters through the counters themselves, one PersistAll per chunk; returns the seconds it took.</summary>
    public async Task<double> FillAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        foreach (var id in new[] { ColdId, WarmId })
        {
            var counter = system.ActorOf(CounterEntity.Props(id), id);
            var filled = await counter.Ask<Filled>(new Fill(options.RecoveryEvents, options.FillChunk), FillTimeout, cancellationToken);
            if (filled.Value != options.RecoveryEvents || filled.SequenceNr != options.RecoveryEvents)
                throw new InvalidOperationException($"{id} was filled to value {filled.Value}, sequence number {filled.SequenceNr}; expected {options.RecoveryEvents}");
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// In a system that has not seen the counters: recovers another counter first, so the plugin's start (table checks,
    /// connection pool, first queries) is not timed, then times each counter from its creation to RecoveryCompleted,
    /// the cold one, then the warm one.
    /// </summary>
    public async Task<(double Cold, double Warm)> RecoverAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        var warm = new TaskCompletionSource<Recovered>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(CounterEntity.Props("counter-0", warm), "warm-up");
        await warm.Task.WaitAsync(cancellationToken);
        return (await TimeAsync(ColdId), await TimeAsync(WarmId));

        async Task<double> TimeAsync(string id)
        {
            var recovered = new TaskCompletionSource<Recovered>(TaskCreationOptions.RunContinuationsAsynchronously);
            var clock = Stopwatch.StartNew();
            system.ActorOf(CounterEntity.Props(id, recovered), id);
            var state = await recovered.Task.WaitAsync(FillTimeout, cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            if (state.Value != options.RecoveryEvents || state.SequenceNr != options.RecoveryEvents)
                throw new InvalidOperationException($"{id} recovered to value {state.Value}, sequence number {state.SequenceNr}; expected {options.RecoveryEvents}");
            return seconds;
        }
    }
}
