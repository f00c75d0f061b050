using Cloudstate.Es.Journal.Batching;
using Microsoft.Data.Sqlite;

namespace Cloudstate.Es.Journal.Sqlite;

/// <summary>The SQLite journal's one writer: each batch of appends is one transaction on the writer connection.</summary>
internal sealed class GroupCommit : GroupCommitWriter
{
    private readonly SqliteConnection connection;
    private readonly AppendCommands commands;
    private readonly StreamPositions<long> positions = new();

    public GroupCommit(SqliteConnection connection, SqliteJournalOptions options)
        : base(options)
    {
        this.connection = connection;
        commands = new AppendCommands(connection);
        Start();
    }

    protected override string JournalName => "sqlite";

    protected override ValueTask<AppendResult[]> CommitAsync(IReadOnlyList<PendingAppend> appends)
    {
        var results = new AppendResult[appends.Count];
        try
        {
            // A failure rolls the transaction back as a whole: nothing of the batch is written.
            using var transaction = connection.BeginTransaction();
            commands.Enlist(transaction);
            for (var i = 0; i < appends.Count; i++)
                results[i] = Write(appends[i]);
            foreach (var (_, id, last) in positions.Changed())
                commands.UpdateStream(id, last.Value);
            Commit(transaction);
        }
        finally
        {
            commands.Enlist(null);
            positions.Clear();
        }

        return ValueTask.FromResult(results);
    }

    // A statement that fails before the commit rolls the whole transaction back: that error means nothing is stored. A
    // failing COMMIT itself (an I/O error while syncing the log) may leave the batch in the file for the next open.
    private static void Commit(SqliteTransaction transaction)
    {
        try
        {
            transaction.Commit();
        }
        catch (SqliteException e)
        {
            throw new AppendOutcomeUnknownException("The SQLite journal's commit failed; whether the batch is in the file is unknown.", e);
        }
    }

    protected override ValueTask DisposeCoreAsync()
    {
        commands.Dispose();
        return ValueTask.CompletedTask;
    }

    private AppendResult Write(PendingAppend append)
    {
        var stream = append.Stream;
        if (!positions.IsKnown(stream))
        {
            var found = commands.FindStream(stream.Value);
            positions.Found(stream, found?.Id ?? 0, new SequenceNumber(found?.Last ?? 0));
        }

        var result = positions.Apply(append, out var sequence);
        if (result.IsConflict || append.Events.Count == 0)
            return result;

        var id = positions.KeyOf(stream);
        if (id == 0)
        {
            id = commands.InsertStream(stream.Value);
            positions.SetKey(stream, id);
        }

        foreach (var data in append.Events)
        {
            commands.InsertEvent(id, sequence.Value, data);
            sequence = sequence.Next;
        }

        return result;
    }
}
