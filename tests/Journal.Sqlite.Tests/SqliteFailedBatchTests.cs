using Cloudstate.Es.Journal.Conformance;
using Microsoft.Data.Sqlite;
using Xunit;
using static Cloudstate.Es.Journal.Conformance.TestEvents;

namespace Cloudstate.Es.Journal.Sqlite.Tests;

/// <summary>An error from the SQLite journal means nothing of the append, nor of its batch, was stored.</summary>
public sealed class SqliteFailedBatchTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task A_batch_that_fails_before_its_commit_stores_nothing_of_any_append_and_the_journal_goes_on()
    {
        var path = directory.File("journal.db");
        await using var journal = new SqliteJournal(new SqliteJournalOptions(path) { MaxBatchDelay = TimeSpan.FromMilliseconds(200) });
        await journal.AppendAsync(new StreamId("entity|first"), SequenceNumber.None, [Tagged("first")], CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var trigger = connection.CreateCommand();
            trigger.CommandText = "CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.type_url = 'refused' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;";
            trigger.ExecuteNonQuery();
        }

        var good = new StreamId("entity|good");
        var batchMate = journal.AppendAsync(good, SequenceNumber.None, Tagged("good", 2), CancellationToken.None).AsTask();
        var refused = journal.AppendAsync(new StreamId("entity|refused"), SequenceNumber.None, [new EventData("refused", new byte[] { 1 })], CancellationToken.None).AsTask();
        var errors = new[] { await Record(batchMate), await Record(refused) };
        var storedAfterFailure = await journal.ReadAllAsync(good);
        var again = await journal.AppendAsync(good, SequenceNumber.None, [Tagged("again")], CancellationToken.None);

        Assert.All(errors, error => Assert.IsType<SqliteException>(error));
        Assert.Empty(storedAfterFailure);
        Assert.Equal(SequenceNumber.None, await journal.ReadLastSequenceAsync(new StreamId("entity|refused"), CancellationToken.None));
        Assert.Equal(AppendResult.Written(SequenceNumber.First), again);
        Assert.Equal(["again"], (await journal.ReadAllAsync(good)).Select(TagOf));
    }

    private static async Task<Exception?> Record(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
