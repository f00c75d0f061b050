using Cloudstate.Es.Journal;

namespace Cloudstate.Es.Snapshots;

/// <summary>Keeps the latest snapshot of each stream.</summary>
public interface ISnapshotStore
{
    /// <summary>The latest snapshot of <paramref name="stream"/>, or null when it has none.</summary>
    ValueTask<Snapshot?> LoadAsync(StreamId stream, CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="snapshot"/> unless a newer one is already stored.</summary>
    ValueTask SaveAsync(StreamId stream, Snapshot snapshot, CancellationToken cancellationToken);
}
