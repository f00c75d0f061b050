using System.Collections.Concurrent;
using Cloudstate.Es.Journal;

namespace Cloudstate.Es.Snapshots.InMemory;

/// <summary>A snapshot store kept in process memory, for tests: the latest snapshot of each stream, nothing survives.</summary>
public sealed class InMemorySnapshotStore : ISnapshotStore
{
    private readonly ConcurrentDictionary<StreamId, Snapshot> latest = new();

    public ValueTask<Snapshot?> LoadAsync(StreamId stream, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<Snapshot?>(latest.TryGetValue(stream, out var snapshot) ? snapshot : null);
    }

    public ValueTask SaveAsync(StreamId stream, Snapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        cancellationToken.ThrowIfCancellationRequested();
        // Copied: the caller may reuse its buffer once the save returns.
        var saved = snapshot with { Data = snapshot.Data.ToArray() };
        latest.AddOrUpdate(stream, static (_, offered) => offered, static (_, stored, offered) => offered.Sequence > stored.Sequence ? offered : stored, saved);
        return ValueTask.CompletedTask;
    }
}
