using Cloudstate.Es.Snapshots;
using Cloudstate.Es.Snapshots.EventStoreDb;
using Xunit;

namespace Cloudstate.Es.Journal.EventStoreDb.Tests;

[Collection(NodeCollection.Name)]
public sealed class SnapshotStreamTests(NodeFixture fixture)
{
    [Fact]
    public async Task A_snapshot_stream_keeps_only_its_last_snapshot()
    {
        using var node = fixture.Connect();
        var store = new EventStoreDbSnapshotStore(node);
        var stream = new StreamId("cart|snapshots");
        for (var sequence = 1; sequence <= 3; sequence++)
            await store.SaveAsync(stream, new Snapshot(new SequenceNumber(sequence * 10), "type/state", new byte[] { (byte)sequence }), CancellationToken.None);

        var kept = await node.ReadAsync(node.Names.Snapshots(stream), revision: null, backwards: false, 10, node.Deadline, CancellationToken.None).ToListAsync();

        Assert.Equal([2UL], kept.Select(e => e.StreamRevision));
        Assert.Equal(new SequenceNumber(30), (await store.LoadAsync(stream, CancellationToken.None))?.Sequence);
    }
}
