using Cloudstate.Es.Journal.Conformance;
using Cloudstate.Es.Snapshots;
using Cloudstate.Es.Snapshots.EventStoreDb;
using Xunit;

namespace Cloudstate.Es.Journal.EventStoreDb.Tests;

[Collection(NodeCollection.Name)]
public sealed class EventStoreDbJournalConformance(NodeFixture fixture)
    : JournalConformance(async () => await OwningJournal.OpenAsync(fixture.Connect()));

/// <summary>A journal that closes its own node client with it, for tests that make one per journal.</summary>
internal sealed class OwningJournal(EventStoreDbNode node, EventStoreDbJournal journal) : IJournal, IAsyncDisposable
{
    public static async Task<IJournal> OpenAsync(EventStoreDbNode node) => new OwningJournal(node, await EventStoreDbJournal.OpenAsync(node, CancellationToken.None));

    public ValueTask<AppendResult> AppendAsync(StreamId stream, SequenceNumber expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken) =>
        journal.AppendAsync(stream, expected, events, cancellationToken);

    public IAsyncEnumerable<StoredEvent> ReadAsync(StreamId stream, SequenceNumber from, CancellationToken cancellationToken) =>
        journal.ReadAsync(stream, from, cancellationToken);

    public ValueTask<SequenceNumber> ReadLastSequenceAsync(StreamId stream, CancellationToken cancellationToken) =>
        journal.ReadLastSequenceAsync(stream, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await journal.DisposeAsync();
        node.Dispose();
    }
}

[Collection(NodeCollection.Name)]
public sealed class EventStoreDbSnapshotStoreConformance(NodeFixture fixture)
    : SnapshotStoreConformance(() => new OwningSnapshotStore(fixture.Connect()));

/// <summary>A snapshot store that closes its own node client with it.</summary>
internal sealed class OwningSnapshotStore(EventStoreDbNode node) : ISnapshotStore, IDisposable
{
    private readonly EventStoreDbSnapshotStore store = new(node);

    public ValueTask<Snapshot?> LoadAsync(StreamId stream, CancellationToken cancellationToken) => store.LoadAsync(stream, cancellationToken);

    public ValueTask SaveAsync(StreamId stream, Snapshot snapshot, CancellationToken cancellationToken) => store.SaveAsync(stream, snapshot, cancellationToken);

    public void Dispose() => node.Dispose();
}
