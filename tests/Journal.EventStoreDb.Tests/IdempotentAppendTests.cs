using Cloudstate.Es.Journal.Conformance;
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
}
