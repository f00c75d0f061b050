using Cloudstate.Es.Journal;

namespace Cloudstate.Es.Snapshots;

/// <summary>Decides whether a snapshot the user function offers is worth saving.</summary>
public interface ISnapshotPolicy
{
    /// <summary>Whether to save a snapshot taken at <paramref name="offered"/> when the last one saved is at <paramref name="lastSaved"/>.</summary>
    bool ShouldSave(SequenceNumber lastSaved, SequenceNumber offered);
}
