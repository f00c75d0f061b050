using Akka.Actor;

namespace Cloudstate.Es.Benchmarks.AkkaPeer;

/// <summary>One run against one journal: the persist rate and the seeding in one actor system, the recovery in a fresh one.</summary>
public sealed class PeerRun(PeerOptions options)
{
    public async Task<PeerFigures> RunAsync(CancellationToken cancellationToken)
    {
        await using var store = JournalStore.For(options);
        Console.WriteLine(await store.PrepareAsync(cancellationToken));
        var config = PeerConfig.Create(store, options);
        Console.WriteLine(
            $"akka.persistence.sql provider={store.ProviderName} parallelism={options.Parallelism ?? store.DefaultParallelism} " +
            $"batch-size={options.BatchSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "100 (default)"}");

        PersistFigures persist;
        double fillSeconds;
        var recovery = new RecoveryRate(options);
        var writer = ActorSystem.Create("akka-peer", config);
        try
        {
            Console.WriteLine($"persist rate: {options.Clients} clients, {options.Counters} counters, {options.Seconds} s");
            persist = await new PersistRate(options).RunAsync(writer, cancellationToken);
            Console.WriteLine(
                $"  {persist.Commands} commands in {persist.Seconds:F1} s = {persist.Rate:F1} commands/s, timeouts {persist.Timeouts}; " +
                $"p50 {persist.P50Ms:F2} ms, p99 {persist.P99Ms:F2} ms, max {persist.MaxMs:F2} ms");

            Console.WriteLine($"recovery rate: filling {recovery.ColdId} and {recovery.WarmId} with {options.RecoveryEvents} events each, PersistAll chunks of {options.FillChunk}");
            fillSeconds = await recovery.FillAsync(writer, cancellationToken);
            Console.WriteLine($"  filled in {fillSeconds:F2} s = {2 * options.RecoveryEvents / fillSeconds:F0} events/s");
        }
        finally
        {
            await writer.Terminate();
        }

        var reader = ActorSystem.Create("akka-peer-recovery", config);
        try
        {
            var (cold, warm) = await recovery.RecoverAsync(reader, cancellationToken);
            var figures = new RecoveryFigures(options.RecoveryEvents, fillSeconds, cold, warm);
            Console.WriteLine(
                $"  recovered in a fresh actor system (no snapshot): cold in {cold:F2} s = {figures.ColdRate:F0} events/s, " +
                $"warm in {warm:F2} s = {figures.WarmRate:F0} events/s");
            return new PeerFigures(options.Label ?? store.Name, persist, figures);
        }
        finally
        {
            await reader.Terminate();
        }
    }
}
