using System.Diagnostics;
using Cloudstate.Es.Journal;
using Cloudstate.Es.Snapshots;

namespace Cloudstate.Es.Proxy.Diagnostics;

/// <summary>The snapshot store as the entities use it, with each load and save counted and timed, for every backend.</summary>
internal sealed class InstrumentedSnapshotStore(ISnapshotStore inner, ProxyInstruments instruments) : ISnapshotStore
{
    public async ValueTask<Snapshot?> LoadAsync(StreamId stream, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Snapshot? snapshot;
        try
        {
            snapshot = await inner.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            instruments.SnapshotLoaded("error", started);
            throw;
        }

        instruments.SnapshotLoaded(snapshot is null ? "none" : "found", started);
        return snapshot;
    }

    public async ValueTask SaveAsync(StreamId stream, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await inner.SaveAsync(stream, snapshot, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            instruments.SnapshotSaved("error", started);
            throw;
        }

        instruments.SnapshotSaved("saved", started);
    }
}
