using Cloudstate.Es.Journal.Batching;
using Microsoft.Data.Sqlite;

namespace Cloudstate.Es.Journal.Sqlite;

/// <summary>
/// Copies the write-ahead log into the database file beside the writer instead of inside its commits. SQLite's own
/// automatic checkpoint runs in the commit that crosses 1,000 log pages, copying them and syncing the file while every
/// append waiting for that commit waits too (stalls of 100-300 ms under steady load here). This one runs on its own
/// connection: a passive checkpoint each interval, which never blocks the writer; and, once the log has grown past a
/// limit (passive checkpoints cannot finish while commits keep coming, and the log restarts only after one does), a
/// restarting checkpoint, which waits for the writer's current transaction, holds the next one back only while it copies
/// what the passive checkpoint just before it left, and lets the log start over from its beginning.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    private readonly SqliteConnection connection;
    private readonly SqliteCommand passive;
    private readonly SqliteCommand restart;
    private readonly int restartFrames;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;
    private long lastFramesInLog;

    public WalCheckpointer(string path, TimeSpan interval, int restartFrames)
    {
        this.restartFrames = restartFrames;
        connection = JournalSchema.Open(JournalSchema.ConnectionString(path, SqliteOpenMode.ReadWrite));
        passive = JournalSchema.Prepare(connection, "PRAGMA wal_checkpoint(PASSIVE);");
        restart = JournalSchema.Prepare(connection, "PRAGMA wal_checkpoint(RESTART);");
        loop = RunAsync(interval);
    }

    /// <summary>Checkpoints run so far, passive and restarting.</summary>
    public long Checkpoints { get; private set; }

    /// <summary>Restarting checkpoints run so far: how often the log reached its limit.</summary>
    public long Restarts { get; private set; }

    private async Task RunAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
                CheckpointOnce();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private void CheckpointOnce()
    {
        try
        {
            var framesInLog = Run(passive);
            // Counted when the log has moved since the last one: an idle journal's ticks copy nothing.
            if (framesInLog != lastFramesInLog)
                JournalInstruments.Checkpointed("passive");
            lastFramesInLog = framesInLog;
            if (framesInLog >= restartFrames)
            {
                Run(restart);
                Restarts++;
                lastFramesInLog = 0;
                JournalInstruments.Checkpointed("restart");
            }
        }
        catch (SqliteException)
        {
            // A transient I/O error: the log keeps the data, and the next interval tries again.
            JournalInstruments.Checkpointed("failed");
        }
    }

    // The pragma's one row: whether it was blocked, the frames in the log, and the frames copied into the file so far.
    private long Run(SqliteCommand checkpoint)
    {
        using var reader = checkpoint.ExecuteReader();
        Checkpoints++;
        return reader.Read() ? reader.GetInt64(1) : 0;
    }

    /// <summary>Stops the checkpoints; closing the writer's connection last checkpoints what is left.</summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        passive.Dispose();
        restart.Dispose();
        await connection.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }
}
