namespace Cloudstate.Es.Journal;

/// <summary>Appends events to streams with optimistic concurrency.</summary>
public interface IJournalWriter
{
    /// <summary>
    /// Appends <paramref name="events"/> atomically (all or none) after <paramref name="expected"/>, the sequence
    /// number the caller believes is the stream's last. The first event gets <c>expected + 1</c>.
    /// <para>
    /// A result means the store has decided: written or conflict. An exception means nothing of the append was stored,
    /// except <see cref="AppendOutcomeUnknownException"/>: the store was lost mid-commit and the journal could not learn
    /// in time whether the events landed.
    /// </para>
    /// </summary>
    ValueTask<AppendResult> AppendAsync(StreamId stream, SequenceNumber expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken);
}

/// <summary>Reads streams back in order.</summary>
public interface IJournalReader
{
    /// <summary>The events of <paramref name="stream"/> from sequence number <paramref name="from"/> on, in order.</summary>
    IAsyncEnumerable<StoredEvent> ReadAsync(StreamId stream, SequenceNumber from, CancellationToken cancellationToken);

    /// <summary>The stream's last sequence number, <see cref="SequenceNumber.None"/> for a stream with no events.</summary>
    ValueTask<SequenceNumber> ReadLastSequenceAsync(StreamId stream, CancellationToken cancellationToken);
}

/// <summary>A journal backend: reader and writer over one store.</summary>
public interface IJournal : IJournalReader, IJournalWriter;
