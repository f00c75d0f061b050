using BenchmarkDotNet.Attributes;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.Proxy.Entities;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Google.Protobuf.WellKnownTypes;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// Activating a shopping cart of <see cref="Events"/> events as the entity actor does: load the latest snapshot,
/// open the user function's entity stream with the snapshot and the journal's events after it, then one GetCart,
/// answered only once the user function has applied every event. Without a snapshot every event travels from the
/// journal to the user function; with one taken at the last event only the snapshot does.
/// <see cref="ReplayReadCeilingBenchmarks"/> reads the same events with no user function, the ceiling of this one.
/// </summary>
[MemoryDiagnoser]
[EventsPerSecondColumn]
// One invocation per iteration: a million-event replay takes seconds. Job mutators rather than a job of its own, so
// that bench --quick's in-process job takes them instead of running the suite a second time in a job of ours.
[WarmupCount(1), IterationCount(5), InvocationCount(1)]
// Not sealed: BenchmarkDotNet derives its runner from the class.
public class ReplayBenchmarks
{
    private SeededCart cart = null!;
    private CartUserFunction userFunction = null!;
    private EntityCommand getCart = null!;

    [ParamsSource(nameof(EventCounts), Priority = -1)]
    public int Events { get; set; }

    [Params(false, true)]
    public bool Snapshot { get; set; }

    [Params(JournalBackend.Sqlite, JournalBackend.Postgres)]
    public JournalBackend Journal { get; set; }

    public static IEnumerable<int> EventCounts() => ReplayLengths.ForThisRun();

    [GlobalSetup]
    public async Task SetupAsync()
    {
        cart = await SeededCart.CreateAsync(Journal, Events, Snapshot, CancellationToken.None);
        userFunction = await CartUserFunction.StartAsync(SeededCart.PersistenceId);
        var request = Any.Pack(new GetShoppingCart { UserId = SeededCart.User });
        getCart = new EntityCommand("GetCart", request.TypeUrl, request.Value, null);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await userFunction.DisposeAsync();
        await cart.DisposeAsync();
    }

    /// <summary>The cart's item count, which must be <see cref="Events"/>: a replay that lost events measures nothing.</summary>
    [Benchmark]
    public async Task<int> ReplayThenGetCart()
    {
        var snapshot = await cart.Snapshots.LoadAsync(SeededCart.Stream, CancellationToken.None);
        if (snapshot.HasValue != Snapshot)
            throw new InvalidOperationException($"The snapshot store {(Snapshot ? "has no" : "has a")} snapshot of {SeededCart.Stream}.");
        await using var session = await EntitySession.OpenAsync(
            userFunction.Channel, CartUserFunction.ServiceName, SeededCart.User, SeededCart.Stream, snapshot, cart.Journal, Timeout.InfiniteTimeSpan, CancellationToken.None);
        if (session.Sequence.Value != Events)
            throw new InvalidOperationException($"The session of {SeededCart.Stream} opened at sequence {session.Sequence}, not {Events}.");
        var (_, output) = await session.SendAsync(SeededCart.User, getCart, CancellationToken.None);
        var items = ItemCount(output);
        return items == Events ? items : throw new InvalidOperationException($"GetCart after the replay counts {items} items, not {Events}.");
    }

    private static int ItemCount(EventSourcedStreamOut? output) => output switch
    {
        { Reply.ClientAction.Reply.Payload: { } payload } => payload.Unpack<Cart>().Items.Sum(item => item.Quantity),
        { Reply.ClientAction.Failure: { } failure } => throw new InvalidOperationException($"GetCart failed: {failure.Description}"),
        { Failure: { } failure } => throw new InvalidOperationException($"The user function failed the entity: {failure.Description}"),
        null => throw new InvalidOperationException("The user function ended the entity stream instead of answering GetCart."),
        _ => throw new InvalidOperationException($"GetCart was answered with {output}."),
    };
}
