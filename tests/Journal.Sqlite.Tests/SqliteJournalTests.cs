using Cloudstate.Es.Journal.Conformance;
using Xunit;
using static Cloudstate.Es.Journal.Conformance.TestEvents;

namespace Cloudstate.Es.Journal.Sqlite.Tests;

public sealed class SqliteJournalTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task Appended_events_survive_closing_and_reopening_the_file()
    {
        var stream = new StreamId("entity|durable");
        await using (var journal = Open())
            await journal.AppendAsync(stream, SequenceNumber.None, Tagged("kept", 3), CancellationToken.None);

        await using var reopened = Open();

        Assert.Equal(["kept:0", "kept:1", "kept:2"], (await reopened.ReadAllAsync(stream)).Select(TagOf));
        Assert.Equal(new SequenceNumber(3), await reopened.ReadLastSequenceAsync(stream, CancellationToken.None));
        var next = await reopened.AppendAsync(stream, new SequenceNumber(3), [Tagged("more")], CancellationToken.None);
        Assert.Equal(AppendResult.Written(new SequenceNumber(4)), next);
    }

    [Fact]
    public async Task Concurrent_appends_are_group_committed_in_batches_no_larger_than_the_maximum()
    {
        const int appends = 1_000;
        await using var journal = Open(new SqliteJournalOptions(directory.File("journal.db")) { MaxBatchSize = 16 });

        var pending = Enumerable.Range(0, appends)
            .Select(i => journal.AppendAsync(new StreamId($"entity|{i}"), SequenceNumber.None, [Tagged($"e{i}")], CancellationToken.None).AsTask())
            .ToArray();
        var results = await Task.WhenAll(pending);

        Assert.All(results, result => Assert.Equal(AppendResult.Written(SequenceNumber.First), result));
        Assert.Equal(appends, journal.AppendsCommitted);
        Assert.True(journal.BatchesCommitted < appends / 2, $"{appends} appends took {journal.BatchesCommitted} transactions");
        Assert.InRange(journal.LargestBatch, 2, 16);
    }

    [Fact]
    public async Task Appends_to_one_stream_in_one_batch_see_each_other()
    {
        var stream = new StreamId("entity|same-batch");
        await using var journal = Open(new SqliteJournalOptions(directory.File("journal.db")) { MaxBatchSize = 4, MaxBatchDelay = TimeSpan.FromSeconds(1) });

        var first = journal.AppendAsync(stream, SequenceNumber.None, Tagged("first", 2), CancellationToken.None).AsTask();
        var second = journal.AppendAsync(stream, new SequenceNumber(2), [Tagged("second")], CancellationToken.None).AsTask();
        var stale = journal.AppendAsync(stream, SequenceNumber.None, [Tagged("stale")], CancellationToken.None).AsTask();
        var third = journal.AppendAsync(stream, new SequenceNumber(3), [Tagged("third")], CancellationToken.None).AsTask();

        Assert.Equal(AppendResult.Written(new SequenceNumber(2)), await first);
        Assert.Equal(AppendResult.Written(new SequenceNumber(3)), await second);
        Assert.Equal(AppendResult.Conflict(new SequenceNumber(3)), await stale);
        Assert.Equal(AppendResult.Written(new SequenceNumber(4)), await third);
        Assert.Equal(1, journal.BatchesCommitted);
        Assert.Equal(["first:0", "first:1", "second", "third"], (await journal.ReadAllAsync(stream)).Select(TagOf));
    }

    [Fact]
    public async Task A_lone_append_is_written_when_the_batch_delay_runs_out()
    {
        await using var journal = Open(new SqliteJournalOptions(directory.File("journal.db")) { MaxBatchDelay = TimeSpan.FromMilliseconds(20) });

        var result = await journal.AppendAsync(new StreamId("entity|lone"), SequenceNumber.None, [Tagged("alone")], CancellationToken.None);

        Assert.Equal(AppendResult.Written(SequenceNumber.First), result);
        Assert.Equal(1, journal.LargestBatch);
    }

    [Fact]
    public async Task Appends_queued_before_dispose_are_committed()
    {
        const int appends = 200;
        Task<AppendResult>[] pending;
        await using (var journal = Open())
        {
            pending = Enumerable.Range(0, appends)
                .Select(i => journal.AppendAsync(new StreamId($"entity|{i}"), SequenceNumber.None, [Tagged($"e{i}")], CancellationToken.None).AsTask())
                .ToArray();
        }

        Assert.All(await Task.WhenAll(pending), result => Assert.False(result.IsConflict));
        await using var reopened = Open();
        for (var i = 0; i < appends; i++)
            Assert.Equal(SequenceNumber.First, await reopened.ReadLastSequenceAsync(new StreamId($"entity|{i}"), CancellationToken.None));
    }

    [Fact]
    public async Task Append_after_dispose_is_refused()
    {
        var journal = Open();
        await journal.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => journal.AppendAsync(new StreamId("entity|late"), SequenceNumber.None, [Tagged("late")], CancellationToken.None));
    }

    [Fact]
    public void Options_refuse_values_out_of_range()
    {
        Assert.ThrowsAny<ArgumentException>(() => new SqliteJournalOptions(" "));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteJournalOptions("j.db") { MaxBatchSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteJournalOptions("j.db") { MaxBatchDelay = TimeSpan.FromMilliseconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteJournalOptions("j.db") { MaxBatchDelay = TimeSpan.FromSeconds(2) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteJournalOptions("j.db") { CheckpointInterval = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteJournalOptions("j.db") { RestartCheckpointPages = 0 });
    }

    private SqliteJournal Open() => Open(new SqliteJournalOptions(directory.File("journal.db")));

    private static SqliteJournal Open(SqliteJournalOptions options) => new(options);
}
