using System.Collections.Concurrent;
using Xunit;
using static Cloudstate.Es.Journal.Conformance.TestEvents;

namespace Cloudstate.Es.Journal.Conformance;

public abstract partial class JournalConformance
{
    [Fact]
    public async Task Racing_appends_on_one_stream_win_each_position_exactly_once_and_whole()
    {
        const int writers = 8;
        const int attempts = 25;
        const int perAppend = 3;
        var stream = new StreamId("entity|race");
        var wins = new ConcurrentBag<(string Tag, long Last)>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var racers = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            await start.Task;
            var expected = SequenceNumber.None;
            for (var attempt = 0; attempt < attempts; attempt++)
            {
                var tag = $"w{writer}a{attempt}";
                var result = await Journal.AppendAsync(stream, expected, Tagged(tag, perAppend), CancellationToken.None);
                if (!result.IsConflict)
                    wins.Add((tag, result.LastSequence.Value));
                expected = result.LastSequence;
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(racers);

        var events = await Journal.ReadAllAsync(stream);
        Assert.Equal(wins.Count * perAppend, events.Count);
        AssertContiguousFromOne(stream, events);
        Assert.Equal(wins.Count, wins.Select(w => w.Last).Distinct().Count());
        foreach (var (tag, last) in wins)
        {
            // The winning append's events sit together, in order, ending at the position it was told.
            var own = events.Skip((int)last - perAppend).Take(perAppend).Select(TagOf);
            Assert.Equal(Enumerable.Range(0, perAppend).Select(i => $"{tag}:{i}"), own);
        }
    }

    [Fact]
    public async Task Many_concurrent_appenders_on_distinct_streams_all_land_contiguously()
    {
        const int streams = 200;
        const int appendsPerStream = 50;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var appenders = Enumerable.Range(0, streams).Select(s => Task.Run(async () =>
        {
            await start.Task;
            var stream = new StreamId($"entity|many-{s}");
            var last = SequenceNumber.None;
            for (var i = 0; i < appendsPerStream; i++)
                last = await AppendWrittenAsync(stream, last, Tagged($"s{s}e{i}"));
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(appenders);

        for (var s = 0; s < streams; s++)
        {
            var stream = new StreamId($"entity|many-{s}");
            var events = await Journal.ReadAllAsync(stream);
            Assert.Equal(appendsPerStream, events.Count);
            AssertContiguousFromOne(stream, events);
            Assert.Equal(Enumerable.Range(0, appendsPerStream).Select(i => $"s{s}e{i}"), events.Select(TagOf));
        }
    }
}
