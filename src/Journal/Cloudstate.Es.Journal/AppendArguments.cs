namespace Cloudstate.Es.Journal;

/// <summary>The argument checks every backend's <see cref="IJournalWriter.AppendAsync"/> makes before touching its store.</summary>
public static class AppendArguments
{
    /// <summary>Throws for a default stream id, a negative expected sequence number or a null event list.</summary>
    public static void Check(StreamId stream, SequenceNumber expected, IReadOnlyList<EventData> events)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        ArgumentOutOfRangeException.ThrowIfNegative(expected.Value, nameof(expected));
        ArgumentNullException.ThrowIfNull(events);
    }
}
