using Cloudstate.Es.Snapshots;
using Cloudstate.Es.Snapshots.Sqlite;

namespace Cloudstate.Es.Journal.Sqlite.Tests;

/// <summary>A SQLite journal in a temporary folder that goes with it on dispose.</summary>
internal sealed class TemporarySqliteJournal : IJournal, IAsyncDisposable
{
    private readonly TemporaryDirectory directory = new();
    private readonly SqliteJournal journal;

    public TemporarySqliteJournal(TimeSpan maxBatchDelay = default) =>
        journal = new SqliteJournal(new SqliteJournalOptions(directory.File("journal.db")) { MaxBatchDelay = maxBatchDelay });

    public ValueTask<AppendResult> AppendAsync(StreamId stream, SequenceNumber expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken) =>
        journal.AppendAsync(stream, expected, events, cancellationToken);

    public IAsyncEnumerable<StoredEvent> ReadAsync(StreamId stream, SequenceNumber from, CancellationToken cancellationToken) =>
        journal.ReadAsync(stream, from, cancellationToken);

    public ValueTask<SequenceNumber> ReadLastSequenceAsync(StreamId stream, CancellationToken cancellationToken) =>
        journal.ReadLastSequenceAsync(stream, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await journal.DisposeAsync();
        directory.Dispose();
    }
}

/// <summary>A SQLite snapshot store in a temporary folder that goes with it on dispose.</summary>
internal sealed class TemporarySqliteSnapshotStore : ISnapshotStore, IAsyncDisposable
{
    private readonly TemporaryDirectory directory = new();
    private readonly SqliteSnapshotStore store;

    public TemporarySqliteSnapshotStore() => store = new SqliteSnapshotStore(directory.File("snapshots.db"));

    public ValueTask<Snapshot?> LoadAsync(StreamId stream, CancellationToken cancellationToken) => store.LoadAsync(stream, cancellationToken);

    public ValueTask SaveAsync(StreamId stream, Snapshot snapshot, CancellationToken cancellationToken) =>
        store.SaveAsync(stream, snapshot, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await store.DisposeAsync();
        directory.Dispose();
    }
}
