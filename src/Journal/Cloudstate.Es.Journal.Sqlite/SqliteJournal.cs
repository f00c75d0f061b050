using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Cloudstate.Es.Journal.Sqlite;

/// <summary>The embedded default journal: one SQLite file in WAL mode, appends group-committed by one writer.</summary>
public sealed class SqliteJournal : IJournal, IAsyncDisposable
{
    private readonly SqliteConnection writer;
    private readonly GroupCommit groupCommit;
    private readonly ReadSessionPool readers;
    private readonly WalCheckpointer checkpointer;

    /// <summary>Opens (creating if missing) the journal file named by <paramref name="options"/>.</summary>
    public SqliteJournal(SqliteJournalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        writer = JournalSchema.OpenWriter(options.Path);
        groupCommit = new GroupCommit(writer, options);
        checkpointer = new WalCheckpointer(Path.GetFullPath(options.Path), options.CheckpointInterval, options.RestartCheckpointPages);
        readers = new ReadSessionPool(
            JournalSchema.ConnectionString(Path.GetFullPath(options.Path), SqliteOpenMode.ReadOnly),
            capacity: Environment.ProcessorCount * 2);
    }

    /// <summary>Transactions committed so far; with <see cref="AppendsCommitted"/> it shows how well appends batch.</summary>
    public long BatchesCommitted => groupCommit.BatchesCommitted;

    /// <summary>Appends carried by the committed transactions, conflicts included.</summary>
    public long AppendsCommitted => groupCommit.AppendsCommitted;

    /// <summary>The most appends one transaction has carried.</summary>
    public int LargestBatch => groupCommit.LargestBatch;

    /// <summary>Checkpoints of the write-ahead log run so far beside the writer.</summary>
    public long Checkpoints => checkpointer.Checkpoints;

    /// <summary>Of those, the ones that restarted the log because it had reached <see cref="SqliteJournalOptions.RestartCheckpointPages"/>.</summary>
    public long CheckpointRestarts => checkpointer.Restarts;

    public ValueTask<AppendResult> AppendAsync(StreamId stream, SequenceNumber expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
        => groupCommit.AppendAsync(stream, expected, events, cancellationToken);

    public async IAsyncEnumerable<StoredEvent> ReadAsync(StreamId stream, SequenceNumber from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        var session = readers.Rent();
        try
        {
            var command = session.Events;
            command.Parameters[0].Value = stream.Value;
            command.Parameters[1].Value = Math.Max(from.Value, SequenceNumber.First.Value);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                yield return new StoredEvent(new SequenceNumber(reader.GetInt64(0)), reader.GetString(1), reader.GetFieldValue<byte[]>(2));
        }
        finally
        {
            readers.Return(session);
        }
    }

    public ValueTask<SequenceNumber> ReadLastSequenceAsync(StreamId stream, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        cancellationToken.ThrowIfCancellationRequested();
        var session = readers.Rent();
        try
        {
            var command = session.LastSequence;
            command.Parameters[0].Value = stream.Value;
            return ValueTask.FromResult(command.ExecuteScalar() is long last ? new SequenceNumber(last) : SequenceNumber.None);
        }
        finally
        {
            readers.Return(session);
        }
    }

    /// <summary>Lets the queued appends commit, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        await groupCommit.DisposeAsync().ConfigureAwait(false);
        await checkpointer.DisposeAsync().ConfigureAwait(false);
        readers.Dispose();
        await writer.DisposeAsync().ConfigureAwait(false);
    }
}
