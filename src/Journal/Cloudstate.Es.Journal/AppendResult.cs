namespace Cloudstate.Es.Journal;

/// <summary>
/// The outcome of an append: written, with the stream's new last sequence number, or a conflict because the
/// stream was not at the expected position (nothing was written). A conflict is an expected outcome, not a fault.
/// </summary>
public readonly record struct AppendResult(bool IsConflict, SequenceNumber LastSequence)
{
    /// <summary>The events were written; <paramref name="last"/> is the sequence number of the last one.</summary>
    public static AppendResult Written(SequenceNumber last) => new(false, last);

    /// <summary>Nothing was written; <paramref name="actual"/> is where the stream really is.</summary>
    public static AppendResult Conflict(SequenceNumber actual) => new(true, actual);
}
