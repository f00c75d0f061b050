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
    private readonly SemaphoreSlim commitSlots;
    private readonly int concurrentCommits;
    private Task loop = Task.CompletedTask;
    private long batchesCommitted;
    private long appendsCommitted;
    private int largestBatch;

    /// <param name="options">Batch size and delay.</param>
    /// <param name="concurrentCommits">
    /// How many batches may be committing at once. One for a store with a single writer connection (SQLite); more
    /// where the store takes concurrent transactions and keeps them apart itself (PostgreSQL row locks), so the next
    /// batch's round trips overlap the previous one's commit.
    /// </param>
    protected GroupCommitWriter(GroupCommitOptions options, int concurrentCommits = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrentCommits, 1);
        maxBatchSize = options.MaxBatchSize;
        maxBatchDelay = options.MaxBatchDelay;
        this.concurrentCommits = concurrentCommits;
        commitSlots = new SemaphoreSlim(concurrentCommits, concurrentCommits);
    }

    /// <summary>Transactions committed so far.</summary>
    public long BatchesCommitted => Interlocked.Read(ref batchesCommitted);

    /// <summary>Appends carried by the committed transactions, conflicts included.</summary>
    public long AppendsCommitted => Interlocked.Read(ref appendsCommitted);

    /// <summary>The most appends one transaction has carried.</summary>
    public int LargestBatch => Volatile.Read(ref largestBatch);

    /// <summary>The journal's name on the instruments (see <see cref="JournalInstruments"/>), e.g. <c>sqlite</c>.</summary>
    protected abstract string JournalName { get; }

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
        commitSlots.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts taking appends; a derived writer calls it once it is ready to commit.</summary>
    protected void Start() => loop = Task.Run(RunAsync);

    /// <summary>
    /// Writes <paramref name="appends"/> in one transaction and returns each one's result, in order, once it has
    /// committed; throws when it did not, and every append in it fails with the exception. An exception must mean that
    /// nothing of the batch was written, unless it is <see cref="AppendOutcomeUnknownException"/>: a backend that loses
    /// its store mid-commit finds out whether the batch landed before it answers, and says unknown only when it cannot.
    /// </summary>
    protected abstract ValueTask<AppendResult[]> CommitAsync(IReadOnlyList<PendingAppend> appends);

    /// <summary>Releases what the derived writer holds, after the last batch.</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    private async Task RunAsync()
    {
        var reader = queue.Reader;
        while (true)
        {
            // A batch is gathered only once it can be committed, so appends queue up while the slots are busy.
            await commitSlots.WaitAsync().ConfigureAwait(false);
            if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                break;
            var batch = new List<PendingAppend>(Math.Min(maxBatchSize, 64));
            TakeQueued(reader, batch);
            if (maxBatchDelay > TimeSpan.Zero)
                await TakeMoreUntilDelayAsync(reader, batch).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                commitSlots.Release();
                continue;
            }

            var commit = CommitAndCountAsync(batch);
            if (concurrentCommits == 1)
                await commit.ConfigureAwait(false);
        }

        // Wait for the batches still committing: every slot back means every commit has ended.
        for (var i = 1; i < concurrentCommits; i++)
            await commitSlots.WaitAsync().ConfigureAwait(false);
    }

    private async Task CommitAndCountAsync(List<PendingAppend> batch)
    {
        try
        {
            AppendResult[] results;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                results = await CommitAsync(batch).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                JournalInstruments.Committed(JournalName, batch.Count, started, succeeded: false);
                foreach (var append in batch)
                    append.TrySetException(exception);
                return;
            }

            JournalInstruments.Committed(JournalName, batch.Count, started, succeeded: true);

            // Counted before the callers hear, so a caller reading the counters sees its own batch in them.
            Interlocked.Increment(ref batchesCommitted);
            Interlocked.Add(ref appendsCommitted, batch.Count);
            int largest;
            while (batch.Count > (largest = Volatile.Read(ref largestBatch)) && Interlocked.CompareExchange(ref largestBatch, batch.Count, largest) != largest)
            {
            }

            for (var i = 0; i < batch.Count; i++)
                batch[i].TrySetResult(results[i]);
        }
        finally
        {
            commitSlots.Release();
        }
    }

    private void TakeQueued(ChannelReader<PendingAppend> reader, List<PendingAppend> batch)
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

    private async Task TakeMoreUntilDelayAsync(ChannelReader<PendingAppend> reader, List<PendingAppend> batch)
    {
        using var delay = new CancellationTokenSource(maxBatchDelay);
        while (batch.Count > 0 && batch.Count < maxBatchSize)
        {
            // The delay running out is the normal end of the wait, so it is awaited without an exception.
            var more = reader.WaitToReadAsync(delay.Token).AsTask();
            await ((Task)more).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!more.IsCompletedSuccessfully || !more.Result)
                return;
            TakeQueued(reader, batch);
        }
    }
}
