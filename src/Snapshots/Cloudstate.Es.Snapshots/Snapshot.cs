using Cloudstate.Es.Journal;

namespace Cloudstate.Es.Snapshots;

/// <summary>An entity instance's state as of <paramref name="Sequence"/>, the last event it includes.</summary>
public readonly record struct Snapshot(SequenceNumber Sequence, string TypeUrl, ReadOnlyMemory<byte> Data);
