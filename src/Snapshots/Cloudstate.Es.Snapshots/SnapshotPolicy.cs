using Cloudstate.Es.Journal;

namespace Cloudstate.Es.Snapshots;

/// <summary>The small snapshot policies: always, never, and every so many events.</summary>
public static class SnapshotPolicy
{
    /// <summary>Saves every snapshot offered.</summary>
    public static ISnapshotPolicy Always { get; } = new AlwaysPolicy();

    /// <summary>Saves none: entities always recover by replaying their whole stream.</summary>
    public static ISnapshotPolicy Never { get; } = new NeverPolicy();

    /// <summary>Saves a snapshot once at least <paramref name="events"/> events have been written since the last one saved.</summary>
    public static ISnapshotPolicy EveryEvents(int events)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(events, 1);
        return new EveryEventsPolicy(events);
    }

    private sealed class AlwaysPolicy : ISnapshotPolicy
    {
        public bool ShouldSave(SequenceNumber lastSaved, SequenceNumber offered) => true;
    }

    private sealed class NeverPolicy : ISnapshotPolicy
    {
        public bool ShouldSave(SequenceNumber lastSaved, SequenceNumber offered) => false;
    }

    private sealed class EveryEventsPolicy(int events) : ISnapshotPolicy
    {
        public bool ShouldSave(SequenceNumber lastSaved, SequenceNumber offered) => offered.Value - lastSaved.Value >= events;
    }
}
