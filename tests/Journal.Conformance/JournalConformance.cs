using Xunit;

namespace Cloudstate.Es.Journal.Conformance;

/// <summary>What every journal backend must do; a backend's tests inherit it in one line with a factory for a fresh, empty journal.</summary>
public abstract partial class JournalConformance(Func<Task<IJournal>> createJournal) : IAsyncLifetime
{
    /// <summary>For backends whose journal opens synchronously.</summary>
    protected JournalConformance(Func<IJournal> createJournal)
        : this(() => Task.FromResult(createJournal()))
    {
    }

    /// <summary>A fresh, empty journal for each test; disposed after it if it is disposable.</summary>
    protected IJournal Journal { get; private set; } = null!;

    public async Task InitializeAsync() => Journal = await createJournal();

    public async Task DisposeAsync()
    {
        if (Journal is IAsyncDisposable asyncDisposable)
            await asyncDisposable.DisposeAsync();
        else if (Journal is IDisposable disposable)
            disposable.Dispose();
    }

    /// <summary>Appends and asserts it was written, for tests whose subject is something else.</summary>
    protected async Task<SequenceNumber> AppendWrittenAsync(StreamId stream, SequenceNumber expected, params EventData[] events)
    {
        var result = await Journal.AppendAsync(stream, expected, events, CancellationToken.None);
        Assert.False(result.IsConflict, $"append to {stream} after {expected} conflicted at {result.LastSequence}");
        return result.LastSequence;
    }

    /// <summary>Asserts <paramref name="events"/> are numbered 1, 2, 3... with no gap.</summary>
    protected static void AssertContiguousFromOne(StreamId stream, IReadOnlyList<StoredEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Sequence.Value != i + 1)
                Assert.Fail($"stream {stream}: event #{i} has sequence {events[i].Sequence}, expected {i + 1}");
        }
    }
}
