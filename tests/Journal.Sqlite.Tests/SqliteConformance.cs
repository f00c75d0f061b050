using Cloudstate.Es.Journal.Conformance;

namespace Cloudstate.Es.Journal.Sqlite.Tests;

public sealed class SqliteJournalConformance() : JournalConformance(() => new TemporarySqliteJournal());

// The same suite with the writer waiting for fuller batches, which takes another path through the group commit.
public sealed class SqliteJournalWithBatchDelayConformance() : JournalConformance(() => new TemporarySqliteJournal(TimeSpan.FromMilliseconds(1)));

public sealed class SqliteSnapshotStoreConformance() : SnapshotStoreConformance(() => new TemporarySqliteSnapshotStore());
