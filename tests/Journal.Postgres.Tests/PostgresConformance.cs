using Cloudstate.Es.Journal.Conformance;
using Cloudstate.Es.Snapshots;
using Cloudstate.Es.Snapshots.Postgres;

namespace Cloudstate.Es.Journal.Postgres.Tests;

public sealed class JournalConformanceSchema() : SchemaFixture("conformance_journal");

public sealed class PostgresJournalConformance(JournalConformanceSchema schema)
    : JournalConformance(async () => (IJournal)await schema.EmptyJournalAsync()), IClassFixture<JournalConformanceSchema>;

public sealed class BatchDelayConformanceSchema() : SchemaFixture("conformance_journal_delay");

// The same suite with the writer waiting for fuller batches, which takes another path through the group commit.
public sealed class PostgresJournalWithBatchDelayConformance(BatchDelayConformanceSchema schema)
    : JournalConformance(async () => (IJournal)await schema.EmptyJournalAsync(o => new PostgresJournalOptions(o.DataSource) { Schema = o.Schema, MaxBatchDelay = TimeSpan.FromMilliseconds(1) })),
      IClassFixture<BatchDelayConformanceSchema>;

public sealed class SnapshotConformanceSchema() : SchemaFixture("conformance_snapshots");

public sealed class PostgresSnapshotStoreConformance(SnapshotConformanceSchema schema)
    : SnapshotStoreConformance(async () =>
    {
        var store = await PostgresSnapshotStore.OpenAsync(schema.DataSource, schema.Schema, CancellationToken.None);
        await using (var truncate = schema.DataSource.CreateCommand($"TRUNCATE {schema.Schema}.cloudstate_snapshots"))
            await truncate.ExecuteNonQueryAsync();
        return (ISnapshotStore)store;
    }), IClassFixture<SnapshotConformanceSchema>;
