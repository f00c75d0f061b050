using System.Diagnostics;
using Akka.Actor;

namespace Cloudstate.Es.Benchmarks.AkkaPeer;

/// <summary>Figures of one recovery-rate run.</summary>
public sealed record RecoveryFigures(long Events, double FillSeconds, double RecoverySeconds)
{
    public double FillRate => Events / FillSeconds;

    public double Rate => Events / RecoverySeconds;
}

/// <summary>Seeds one counter with E events, then times its recovery (no snapshot) in a fresh actor system.</summary>
public sealed class RecoveryRate(PeerOptions options)
{
    private static readonly TimeSpan FillTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The counter whose recovery is timed: the one after the persist-rate run's counters.</summary>
    public string PersistenceId => $"counter-{options.Counters}";

    /// <summary>Persists the events through the counter itself, one PersistAll per chunk; returns the seconds it took.</summary>
    public async Task<double> FillAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        var counter = system.ActorOf(CounterEntity.Props(PersistenceId), PersistenceId);
        var clock = Stopwatch.StartNew();
        var filled = await counter.Ask<Filled>(new Fill(options.RecoveryEvents, options.FillChunk), FillTimeout, cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        if (filled.Value != options.RecoveryEvents || filled.SequenceNr != options.RecoveryEvents)
            throw new InvalidOperationException($"{PersistenceId} was filled to value {filled.Value}, sequence number {filled.SequenceNr}; expected {options.RecoveryEvents}");
        return seconds;
    }

    /// <summary>
    /// In a system that has not seen the counter: recovers another counter first, so the plugin's start (table checks,
    /// connection pool, first queries) is not timed, then times the counter from its creation to RecoveryCompleted.
    /// </summary>
    public async Task<double> RecoverAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        var warm = new TaskCompletionSource<Recovered>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(CounterEntity.Props("counter-0", warm), "warm-up");
        await warm.Task.WaitAsync(cancellationToken);

        var recovered = new TaskCompletionSource<Recovered>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        system.ActorOf(CounterEntity.Props(PersistenceId, recovered), PersistenceId);
        var state = await recovered.Task.WaitAsync(FillTimeout, cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        if (state.Value != options.RecoveryEvents || state.SequenceNr != options.RecoveryEvents)
            throw new InvalidOperationException($"{PersistenceId} recovered to value {state.Value}, sequence number {state.SequenceNr}; expected {options.RecoveryEvents}");
        return seconds;
    }
}
