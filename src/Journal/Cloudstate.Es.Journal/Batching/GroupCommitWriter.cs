using System.Threading.Channels;

namespace Cloudstate.Es.Journal.Batching;

/// <summary>
/// A journal's one writer: takes the queued appends in bounded batches and hands each batch to
/// <see cref="CommitAsync"/>, which writes it in one transaction, so one commit (and one fsync) carries the events of
/// many commands. Backends derive from it and write the batch their own way.
/// </summary>
public abstract class GroupCommitWriter : IAsyncDisposable
{
    private readonly Channel<PendingAppend> queue = Channel.CreateUnbounded<PendingAppend>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly int maxBatchSize;
    private readonly TimeSpan maxBatchDelay;
    private readonly List<PendingAppend> batch;
    private Task loop = Task.CompletedTask;
    private long batchesCommitted;
    private long appendsCommitted;
    private int largestBatch;

    protected GroupCommitWriter(GroupCommitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        maxBatchSize = options.MaxBatchSize;
        maxBatchDelay = options.MaxBatchDelay;
        batch = new List<PendingAppend>(maxBatchSize);
    }

    /// <summary>Transactions committed so far.</summary>
    public long BatchesCommitted => Interlocked.Read(ref batchesCommitted);

    /// <summary>Appends carried by the committed transactions, conflicts included.</summary>
    public long AppendsCommitted => Interlocked.Read(ref appendsCommitted);

    /// <summary>The most appends one transaction has carried.</summary>
    public int LargestBatch => Volatile.Read(ref largestBatch);

    /// <summary>
    /// Checks the arguments and queues the append; the task completes once its batch has committed (or failed). Once
    /// queued, the append is written or refused by the writer: a cancellation only counts before the writer takes it.
    /// </summary>
    public ValueTask<AppendResult> AppendAsync(StreamId stream, SequenceNumber expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        AppendArguments.Check(stream, expected, events);
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<AppendResult>(cancellationToken);

        var append = new PendingAppend(stream, expected, events, cancellationToken);
        if (!queue.Writer.TryWrite(append))
            throw new ObjectDisposedException(GetType().Name);
        return new ValueTask<AppendResult>(append.Task);
    }

    /// <summary>Lets the queued appends commit, then stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop.ConfigureAwait(false);
        await DisposeCoreAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts taking appends; a derived writer calls it once it is ready to commit.</summary>
    protected void Start() => loop = Task.Run(RunAsync);

    /// <summary>
    /// Writes <paramref name="appends"/> in one transaction and completes every one of them: with its result once the
    /// transaction has committed, or with the exception when it rolled back. True when the transaction committed.
    /// </summary>
    protected abstract ValueTask<bool> CommitAsync(IReadOnlyList<PendingAppend> appends);

    /// <summary>Releases what the derived writer holds, after the last batch.</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    private async Task RunAsync()
    {
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            TakeQueued(reader);
            if (maxBatchDelay > TimeSpan.Zero)
                await TakeMoreUntilDelayAsync(reader).ConfigureAwait(false);
            if (batch.Count > 0)
                await CommitAndCountAsync().ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task CommitAndCountAsync()
    {
        bool committed;
        try
        {
            committed = await CommitAsync(batch).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // A backend's bug must not stop the writer or leave callers waiting forever.
            foreach (var append in batch)
                append.TrySetException(exception);
            return;
        }

        if (!committed)
            return;
        Interlocked.Increment(ref batchesCommitted);
        Interlocked.Add(ref appendsCommitted, batch.Count);
        if (batch.Count > largestBatch)
            Volatile.Write(ref largestBatch, batch.Count);
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
