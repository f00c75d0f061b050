using Cloudstate.Es.Journal.Conformance;
using Xunit;

namespace Cloudstate.Es.Journal.EventStoreDb.Tests;

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
