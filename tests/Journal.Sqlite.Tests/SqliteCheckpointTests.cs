using Cloudstate.Es.Journal.Conformance;
using Xunit;

namespace Cloudstate.Es.Journal.Sqlite.Tests;

/// <summary>The write-ahead log is copied into the database file by the checkpointer, never inside the writer's commits.</summary>
public sealed class SqliteCheckpointTests : IDisposable
{
    private const int EventBytes = 4_096;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task Commits_leave_the_database_file_to_the_checkpointer()
    {
        var path = directory.File("journal.db");
        await using var journal = new SqliteJournal(new SqliteJournalOptions(path) { CheckpointInterval = TimeSpan.FromHours(1) });
        var before = new FileInfo(path).Length;

        // 8 MiB of events: SQLite's own automatic checkpoint would have copied them into the file after 4 MiB of log.
        await AppendAsync(journal, streams: 64, eventsEach: 32);

        Assert.Equal(before, new FileInfo(path).Length);
        Assert.True(new FileInfo(path + "-wal").Length > 8 * 1024 * 1024, "the appends should all be in the log");
        Assert.Equal(0, journal.Checkpoints);
    }

    [Fact]
    public async Task The_checkpointer_copies_the_log_into_the_database_file()
    {
        var path = directory.File("journal.db");
        await using var journal = new SqliteJournal(new SqliteJournalOptions(path) { CheckpointInterval = TimeSpan.FromMilliseconds(20) });

        await AppendAsync(journal, streams: 64, eventsEach: 32);

        var deadline = DateTime.UtcNow + Deadline;
        while (new FileInfo(path).Length < 8 * 1024 * 1024 && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.True(new FileInfo(path).Length >= 8 * 1024 * 1024, $"the file holds {new FileInfo(path).Length} bytes after {Deadline}");
        Assert.True(journal.Checkpoints > 0);
    }

    [Fact]
    public async Task A_log_past_its_limit_is_restarted_and_everything_written_reads_back_after_reopening()
    {
        var path = directory.File("journal.db");
        var options = new SqliteJournalOptions(path) { CheckpointInterval = TimeSpan.FromMilliseconds(10), RestartCheckpointPages = 256 };
        var round = 0;
        await using (var journal = new SqliteJournal(options))
        {
            // Appends from many writers at once keep the writer committing while the checkpoints run: 256 KiB a round,
            // 16 MiB in all at least, so that the log passes its limit again and again.
            var deadline = DateTime.UtcNow + Deadline;
            while ((journal.CheckpointRestarts < 3 || round < 64) && DateTime.UtcNow < deadline)
                await AppendAsync(journal, streams: 16, eventsEach: 4, prefix: $"round{round++}");
            Assert.True(journal.CheckpointRestarts >= 3, $"{journal.CheckpointRestarts} restarts after {round} rounds");
        }

        await using var reopened = new SqliteJournal(options);
        for (var r = 0; r < round; r++)
        {
            for (var s = 0; s < 16; s++)
            {
                var events = await reopened.ReadAllAsync(new StreamId($"entity|round{r}-{s}"));
                Assert.Equal([1L, 2, 3, 4], events.Select(e => e.Sequence.Value));
                Assert.All(events, e => Assert.Equal(EventBytes, e.Data.Length));
            }
        }
    }

    private static async Task AppendAsync(SqliteJournal journal, int streams, int eventsEach, string prefix = "s")
    {
        var appends = Enumerable.Range(0, streams).Select(async s =>
        {
            var stream = new StreamId($"entity|{prefix}-{s}");
            for (var e = 0; e < eventsEach; e++)
            {
                var result = await journal.AppendAsync(stream, new SequenceNumber(e), [new EventData(TestEvents.TypeUrl, new byte[EventBytes])], CancellationToken.None);
                Assert.Equal(AppendResult.Written(new SequenceNumber(e + 1)), result);
            }
        });
        await Task.WhenAll(appends);
    }
}
