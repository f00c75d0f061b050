using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Cloudstate.Es.Journal.Sqlite;

/// <summary>
/// The journal's one writer: takes the queued appends in bounded batches and writes each batch in one transaction,
/// so one commit (and one fsync) carries the events of many commands.
/// </summary>
internal sealed partial class GroupCommit : IAsyncDisposable
{
    private readonly Channel<PendingAppend> queue = Channel.CreateUnbounded<PendingAppend>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly SqliteConnection connection;
    private readonly AppendCommands commands;
    private readonly int maxBatchSize;
    private readonly TimeSpan maxBatchDelay;
    private readonly List<PendingAppend> batch;
    private readonly Task loop;
    private long batchesCommitted;
    private long appendsCommitted;
    private int largestBatch;

    public GroupCommit(SqliteConnection connection, SqliteJournalOptions options)
    {
        this.connection = connection;
        commands = new AppendCommands(connection);
        maxBatchSize = options.MaxBatchSize;
        maxBatchDelay = options.MaxBatchDelay;
        batch = new List<PendingAppend>(maxBatchSize);
        loop = Task.Run(RunAsync);
    }

    /// <summary>Transactions committed so far.</summary>
    public long BatchesCommitted => Interlocked.Read(ref batchesCommitted);

    /// <summary>Appends carried by the committed transactions, conflicts included.</summary>
    public long AppendsCommitted => Interlocked.Read(ref appendsCommitted);

    /// <summary>The most appends one transaction has carried.</summary>
    public int LargestBatch => Volatile.Read(ref largestBatch);

    /// <summary>Queues <paramref name="append"/>; false once the writer is shutting down.</summary>
    public bool TryEnqueue(PendingAppend append) => queue.Writer.TryWrite(append);

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop.ConfigureAwait(false);
        commands.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            TakeQueued(reader);
            if (maxBatchDelay > TimeSpan.Zero)
                await TakeMoreUntilDelayAsync(reader).ConfigureAwait(false);
            if (batch.Count > 0)
                Commit();
            batch.Clear();
        }
    }

    private void TakeQueued(ChannelReader<PendingAppend> reader)
    {
        while (batch.Count < maxBatchSize && reader.TryRead(out var append))
        {
            // A caller that gave up before its append was taken gets a cancellation and nothing is written.
            if (append.CancellationToken.IsCancellationRequested)
                append.TrySetCanceled(append.CancellationToken);
            else
                batch.Add(append);
        }
    }

    private async Task TakeMoreUntilDelayAsync(ChannelReader<PendingAppend> reader)
    {
        using var delay = new CancellationTokenSource(maxBatchDelay);
        while (batch.Count > 0 && batch.Count < maxBatchSize)
        {
            // The delay running out is the normal end of the wait, so it is awaited without an exception.
            var more = reader.WaitToReadAsync(delay.Token).AsTask();
            await ((Task)more).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!more.IsCompletedSuccessfully || !more.Result)
                return;
            TakeQueued(reader);
        }
    }
}
