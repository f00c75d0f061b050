namespace Cloudstate.Es.Journal.Batching;

/// <summary>
/// Where each stream touched by a batch stands while the batch is written, so a later append to the same stream in
/// the batch sees the earlier one's events. Decides each append's outcome the same way for every backend.
/// </summary>
/// <typeparam name="TKey">What the backend needs to write the stream later, e.g. its row id; default when new.</typeparam>
public sealed class StreamPositions<TKey>
{
    private readonly Dictionary<string, Position> positions = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="stream"/> has been looked up or written in this batch.</summary>
    public bool IsKnown(StreamId stream) => positions.ContainsKey(stream.Value);

    /// <summary>Records where the store says <paramref name="stream"/> stands (<see cref="SequenceNumber.None"/> if missing).</summary>
    public void Found(StreamId stream, TKey? key, SequenceNumber last) => positions[stream.Value] = new Position(key, last, Changed: false);

    /// <summary>
    /// Decides <paramref name="append"/> against its stream's position: a conflict, a written empty append, or the first
    /// sequence number its events take (the position then moves past them). The stream must be known.
    /// </summary>
    public AppendResult Apply(PendingAppend append, out SequenceNumber firstSequence)
    {
        ArgumentNullException.ThrowIfNull(append);
        var position = positions[append.Stream.Value];
        firstSequence = position.Last.Next;
        if (append.Expected != position.Last)
            return AppendResult.Conflict(position.Last);
        if (append.Events.Count == 0)
            return AppendResult.Written(position.Last);

        var last = new SequenceNumber(position.Last.Value + append.Events.Count);
        positions[append.Stream.Value] = position with { Last = last, Changed = true };
        return AppendResult.Written(last);
    }

    /// <summary>Gives the stream's key once the backend has created it.</summary>
    public void SetKey(StreamId stream, TKey key) => positions[stream.Value] = positions[stream.Value] with { Key = key };

    /// <summary>The key the stream was found or created with, default when it does not exist yet.</summary>
    public TKey? KeyOf(StreamId stream) => positions[stream.Value].Key;

    /// <summary>The streams whose last sequence number the batch moved, with their new position.</summary>
    public IEnumerable<(string Stream, TKey? Key, SequenceNumber Last)> Changed() =>
        positions.Where(p => p.Value.Changed).Select(p => (p.Key, p.Value.Key, p.Value.Last));

    /// <summary>Forgets every stream, for the next batch.</summary>
    public void Clear() => positions.Clear();

    private readonly record struct Position(TKey? Key, SequenceNumber Last, bool Changed);
}
