using Cloudstate.Es.Journal.Conformance;
using Cloudstate.Es.Snapshots;
using Cloudstate.Es.Snapshots.EventStoreDb;
using Xunit;

namespace Cloudstate.Es.Journal.EventStoreDb.Tests;

[Collection(NodeCollection.Name)]
public sealed class IdempotentAppendTests(NodeFixture fixture)
{
    [Fact]
    public async Task An_append_whose_answer_was_lost_is_sent_again_and_stored_once()
    {
        await using var relay = new AnswerCuttingRelay(fixture.Server.Port);
        using var node = new EventStoreDbNode(new EventStoreDbOptions(relay.Address) { StreamPrefix = $"t{Guid.NewGuid():N}-", CallTimeout = TimeSpan.FromSeconds(5) });
        await using var journal = await EventStoreDbJournal.OpenAsync(node, CancellationToken.None);
        var stream = new StreamId("cart|idempotent");
        Assert.Equal(AppendResult.Written(new SequenceNumber(1)), await journal.AppendAsync(stream, SequenceNumber.None, [TestEvents.Tagged("first")], CancellationToken.None));

        // The node stores the second append and answers; the answer never arrives, the connection breaks instead.
        relay.CutAtNextAnswer();
        var result = await journal.AppendAsync(stream, new SequenceNumber(1), TestEvents.Tagged("second", 3), CancellationToken.None);

        Assert.Equal(1, relay.Cuts);
        Assert.Equal(AppendResult.Written(new SequenceNumber(4)), result);
        var events = await journal.ReadAllAsync(stream);
        Assert.Equal(["first", "second:0", "second:1", "second:2"], events.Select(TestEvents.TagOf));
    }

    [Fact]
    public async Task An_append_refused_for_a_wrong_expected_version_is_not_mistaken_for_a_resend()
    {
        using var node = fixture.Connect();
        await using var journal = await EventStoreDbJournal.OpenAsync(node, CancellationToken.None);
        var stream = new StreamId("cart|two-writers");
        await journal.AppendAsync(stream, SequenceNumber.None, [TestEvents.Tagged("winner")], CancellationToken.None);

        // A stale writer appending the same position with events of its own gets a conflict, never a duplicate's success.
        var stale = await journal.AppendAsync(stream, SequenceNumber.None, [TestEvents.Tagged("winner")], CancellationToken.None);

        Assert.Equal(AppendResult.Conflict(new SequenceNumber(1)), stale);
        Assert.Single(await journal.ReadAllAsync(stream));
    }

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

public sealed class UnreachableNodeTests
{
    [Fact]
    public async Task An_append_to_a_node_that_cannot_be_reached_fails_at_once_as_nothing_stored()
    {
        // Nothing listens on the port: every connection is refused, so no append can have reached a node. (An append
        // sent on a connection that is then cut may have landed: that one is resent, and reported unknown when the node
        // stays away.)
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var node = new EventStoreDbNode(new EventStoreDbOptions(new Uri($"http://127.0.0.1:{port}")));
        await using var journal = EventStoreDbJournal.Unchecked(node);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failures = new List<Exception>();
        for (var attempt = 0; attempt < 3; attempt++)
            failures.Add(await Assert.ThrowsAnyAsync<Exception>(async () => await journal.AppendAsync(new StreamId("cart|unreachable"), SequenceNumber.None, [TestEvents.Tagged("lost")], CancellationToken.None)));

        // Not AppendOutcomeUnknownException, which would be DEADLINE_EXCEEDED after the 10 s of resends.
        Assert.All(failures, e => Assert.IsType<EventStoreDbUnavailableException>(e));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"three refused appends took {clock.Elapsed.TotalSeconds:0.0} s");
    }
}
