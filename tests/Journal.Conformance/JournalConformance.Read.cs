using Xunit;
using static Cloudstate.Es.Journal.Conformance.TestEvents;

namespace Cloudstate.Es.Journal.Conformance;

public abstract partial class JournalConformance
{
    [Fact]
    public async Task Reading_from_the_middle_starts_at_that_sequence_number()
    {
        var stream = new StreamId("entity|middle");
        await AppendWrittenAsync(stream, SequenceNumber.None, Tagged("e", 10));

        var events = await Journal.ReadAllAsync(stream, new SequenceNumber(7));

        Assert.Equal([7L, 8L, 9L, 10L], events.Select(e => e.Sequence.Value));
        Assert.Equal(["e:6", "e:7", "e:8", "e:9"], events.Select(TagOf));
    }

    [Fact]
    public async Task Reading_past_the_end_reads_nothing()
    {
        var stream = new StreamId("entity|past-end");
        await AppendWrittenAsync(stream, SequenceNumber.None, Tagged("e", 3));

        Assert.Empty(await Journal.ReadAllAsync(stream, new SequenceNumber(4)));
    }

    [Fact]
    public async Task Reading_from_none_reads_the_whole_stream()
    {
        var stream = new StreamId("entity|from-none");
        await AppendWrittenAsync(stream, SequenceNumber.None, Tagged("e", 3));

        Assert.Equal(3, (await Journal.ReadAllAsync(stream, SequenceNumber.None)).Count);
    }

    [Fact]
    public async Task Empty_stream_reads_nothing_and_its_last_sequence_is_none()
    {
        var stream = new StreamId("entity|never-written");

        Assert.Empty(await Journal.ReadAllAsync(stream));
        Assert.Equal(SequenceNumber.None, await Journal.ReadLastSequenceAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task Read_last_sequence_follows_the_appends()
    {
        var stream = new StreamId("entity|last");
        await AppendWrittenAsync(stream, SequenceNumber.None, Tagged("a", 4));
        Assert.Equal(new SequenceNumber(4), await Journal.ReadLastSequenceAsync(stream, CancellationToken.None));

        await AppendWrittenAsync(stream, new SequenceNumber(4), Tagged("b"));
        Assert.Equal(new SequenceNumber(5), await Journal.ReadLastSequenceAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task Long_stream_of_100k_events_reads_back_in_order()
    {
        const int appends = 100;
        const int perAppend = 1_000;
        var stream = new StreamId("entity|long");
        var last = SequenceNumber.None;
        for (var i = 0; i < appends; i++)
            last = await AppendWrittenAsync(stream, last, Tagged($"a{i}", perAppend));

        var expected = 0;
        await foreach (var stored in Journal.ReadAsync(stream, SequenceNumber.First, CancellationToken.None))
        {
            var tag = $"a{expected / perAppend}:{expected % perAppend}";
            expected++;
            if (stored.Sequence.Value != expected || TagOf(stored) != tag)
                Assert.Fail($"event #{expected} read as ({stored.Sequence}, {TagOf(stored)}), expected ({expected}, {tag})");
        }

        Assert.Equal(appends * perAppend, expected);
        Assert.Equal(new SequenceNumber(appends * perAppend), await Journal.ReadLastSequenceAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task Odd_stream_ids_are_kept_distinct()
    {
        string[] ids =
        [
            "ünïcødé|流-🙂", "a|b", "a|b|", "a||b", "|", "A|B", "a", "a ", " a", "percent%_|'quote\"",
            "tab\tnew\nline", new string('x', 1024), new string('x', 1023) + "y",
        ];
        for (var i = 0; i < ids.Length; i++)
            await AppendWrittenAsync(new StreamId(ids[i]), SequenceNumber.None, Tagged($"stream{i}"));

        for (var i = 0; i < ids.Length; i++)
        {
            var stream = new StreamId(ids[i]);
            var events = await Journal.ReadAllAsync(stream);
            Assert.True(events.Count == 1 && TagOf(events[0]) == $"stream{i}", $"stream #{i} '{ids[i]}' read [{string.Join(", ", events.Select(TagOf))}]");
            Assert.Equal(SequenceNumber.First, await Journal.ReadLastSequenceAsync(stream, CancellationToken.None));
        }
    }
}
