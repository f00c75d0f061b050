using BenchmarkDotNet.Attributes;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// Reading the <see cref="Events"/> events of the cart <see cref="ReplayBenchmarks"/> replays straight from the
/// journal to the end, with no user function: how fast replay could be if sending and applying the events cost nothing.
/// </summary>
[MemoryDiagnoser]
[EventsPerSecondColumn]
// As ReplayBenchmarks: one invocation per iteration, as job mutators so that bench --quick keeps its one job.
[WarmupCount(1), IterationCount(5), InvocationCount(1)]
// Not sealed: BenchmarkDotNet derives its runner from the class.
public class ReplayReadCeilingBenchmarks
{
    private SeededCart cart = null!;

    [ParamsSource(nameof(EventCounts), Priority = -1)]
    public int Events { get; set; }

    [Params(JournalBackend.Sqlite, JournalBackend.Postgres)]
    public JournalBackend Journal { get; set; }

    public static IEnumerable<int> EventCounts() => ReplayLengths.ForThisRun();

    [GlobalSetup]
    public async Task SetupAsync() => cart = await SeededCart.CreateAsync(Journal, Events, snapshot: false, CancellationToken.None);

    [GlobalCleanup]
    public Task CleanupAsync() => cart.DisposeAsync().AsTask();

    /// <summary>The number of events read, which must be <see cref="Events"/>.</summary>
    [Benchmark]
    public async Task<int> ReadToEnd()
    {
        var read = 0;
        await foreach (var stored in cart.Journal.ReadAsync(SeededCart.Stream, SequenceNumber.First, CancellationToken.None))
        {
            if (stored.Sequence.Value != ++read)
                throw new InvalidOperationException($"Event {read} of {SeededCart.Stream} came back as sequence {stored.Sequence}.");
        }

        return read == Events ? read : throw new InvalidOperationException($"Read {read} events of {SeededCart.Stream}, not {Events}.");
    }
}
