using Cloudstate.Es.Journal.Conformance;
using Cloudstate.Es.Snapshots.InMemory;

namespace Cloudstate.Es.Journal.InMemory.Tests;

public sealed class InMemoryJournalConformance() : JournalConformance(() => new InMemoryJournal());

public sealed class InMemorySnapshotStoreConformance() : SnapshotStoreConformance(() => new InMemorySnapshotStore());
