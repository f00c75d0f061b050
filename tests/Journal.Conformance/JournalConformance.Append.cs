using Xunit;
using static Cloudstate.Es.Journal.Conformance.TestEvents;

namespace Cloudstate.Es.Journal.Conformance;

public abstract partial class JournalConformance
{
    [Fact]
    public async Task Appended_events_read_back_in_order_with_their_type_and_data()
    {
        var stream = new StreamId("entity|one");

        var result = await Journal.AppendAsync(stream, SequenceNumber.None, Tagged("a", 3), CancellationToken.None);

        Assert.Equal(AppendResult.Written(new SequenceNumber(3)), result);
        var events = await Journal.ReadAllAsync(stream);
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Sequence.Value));
        Assert.Equal(["a:0", "a:1", "a:2"], events.Select(TagOf));
        Assert.All(events, e => Assert.Equal(TypeUrl, e.TypeUrl));
    }

    [Fact]
    public async Task Sequence_numbers_are_contiguous_from_one_across_appends()
    {
        var stream = new StreamId("entity|contiguous");
        int[] sizes = [1, 2, 3, 1, 5, 1];
        var last = SequenceNumber.None;
        for (var i = 0; i < sizes.Length; i++)
            last = await AppendWrittenAsync(stream, last, Tagged($"append{i}", sizes[i]));

        var events = await Journal.ReadAllAsync(stream);

        Assert.Equal(sizes.Sum(), events.Count);
        Assert.Equal(new SequenceNumber(sizes.Sum()), last);
        AssertContiguousFromOne(stream, events);
    }

    [Fact]
    public async Task Append_with_stale_expected_sequence_is_a_conflict_and_writes_nothing()
    {
        var stream = new StreamId("entity|stale");
        await AppendWrittenAsync(stream, SequenceNumber.None, Tagged("first", 2));

        var result = await Journal.AppendAsync(stream, SequenceNumber.First, [Tagged("late")], CancellationToken.None);

        Assert.Equal(AppendResult.Conflict(new SequenceNumber(2)), result);
        Assert.Equal(["first:0", "first:1"], (await Journal.ReadAllAsync(stream)).Select(TagOf));
    }

    [Fact]
    public async Task Append_ahead_of_the_stream_is_a_conflict_and_writes_nothing()
    {
        var stream = new StreamId("entity|ahead");

        var result = await Journal.AppendAsync(stream, new SequenceNumber(5), [Tagged("early")], CancellationToken.None);

        Assert.Equal(AppendResult.Conflict(SequenceNumber.None), result);
        Assert.Empty(await Journal.ReadAllAsync(stream));
        Assert.Equal(SequenceNumber.None, await Journal.ReadLastSequenceAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task Conflicting_multi_event_append_leaves_nothing_of_itself()
    {
        var stream = new StreamId("entity|multi");
        await AppendWrittenAsync(stream, SequenceNumber.None, Tagged("kept", 2));

        var result = await Journal.AppendAsync(stream, SequenceNumber.None, Tagged("refused", 5), CancellationToken.None);

        Assert.True(result.IsConflict);
        Assert.Equal(["kept:0", "kept:1"], (await Journal.ReadAllAsync(stream)).Select(TagOf));
        Assert.Equal(new SequenceNumber(2), await Journal.ReadLastSequenceAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task Empty_append_at_the_stream_position_succeeds_and_writes_nothing()
    {
        var stream = new StreamId("entity|empty-append");
        await AppendWrittenAsync(stream, SequenceNumber.None, Tagged("one"));

        var written = await Journal.AppendAsync(stream, SequenceNumber.First, [], CancellationToken.None);
        var stale = await Journal.AppendAsync(stream, SequenceNumber.None, [], CancellationToken.None);

        Assert.Equal(AppendResult.Written(SequenceNumber.First), written);
        Assert.Equal(AppendResult.Conflict(SequenceNumber.First), stale);
        Assert.Single(await Journal.ReadAllAsync(stream));
    }

    [Fact]
    public async Task Event_data_may_be_empty_or_a_slice_of_a_larger_buffer()
    {
        var stream = new StreamId("entity|data-shapes");
        var buffer = "xxhelloyy"u8.ToArray();
        EventData[] events = [new("type/empty", ReadOnlyMemory<byte>.Empty), new("type/slice", buffer.AsMemory(2, 5))];

        await AppendWrittenAsync(stream, SequenceNumber.None, events);
        buffer.AsSpan().Clear();

        var read = await Journal.ReadAllAsync(stream);
        Assert.Equal(2, read.Count);
        Assert.Equal(("type/empty", 0), (read[0].TypeUrl, read[0].Data.Length));
        Assert.Equal(("type/slice", "hello"), (read[1].TypeUrl, TagOf(read[1])));
    }

    [Fact]
    public async Task Append_with_a_cancelled_token_is_cancelled_and_writes_nothing()
    {
        var stream = new StreamId("entity|cancelled");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await Journal.AppendAsync(stream, SequenceNumber.None, [Tagged("never")], cancelled.Token));

        Assert.Empty(await Journal.ReadAllAsync(stream));
    }
}
