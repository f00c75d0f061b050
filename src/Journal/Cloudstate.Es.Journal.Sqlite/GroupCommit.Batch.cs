namespace Cloudstate.Es.Journal.Sqlite;

internal sealed partial class GroupCommit
{
    // Where each stream touched by the current batch stands, so a later append to the same stream in the batch sees
    // the earlier one's events. Only the writer touches it; it is cleared for every batch.
    private readonly Dictionary<string, StreamPosition> positions = new(StringComparer.Ordinal);

    private void Commit()
    {
        var results = new AppendResult[batch.Count];
        try
        {
            using (var transaction = connection.BeginTransaction())
            {
                commands.Enlist(transaction);
                for (var i = 0; i < batch.Count; i++)
                    results[i] = Write(batch[i]);
                foreach (var position in positions.Values)
                {
                    if (position is { Changed: true, Id: { } id })
                        commands.UpdateStream(id, position.Last);
                }
                transaction.Commit();
            }
        }
        catch (Exception exception)
        {
            // The transaction rolled back as a whole: nothing of the batch was written, so every append in it fails.
            foreach (var append in batch)
                append.TrySetException(exception);
            return;
        }
        finally
        {
            commands.Enlist(null);
            positions.Clear();
        }

        Interlocked.Increment(ref batchesCommitted);
        Interlocked.Add(ref appendsCommitted, batch.Count);
        if (batch.Count > largestBatch)
            Volatile.Write(ref largestBatch, batch.Count);
        for (var i = 0; i < batch.Count; i++)
            batch[i].TrySetResult(results[i]);
    }

    private AppendResult Write(PendingAppend append)
    {
        var name = append.Stream.Value;
        if (!positions.TryGetValue(name, out var position))
        {
            var found = commands.FindStream(name);
            position = found is { } row ? new StreamPosition(row.Id, row.Last) : new StreamPosition(Id: null, Last: 0);
        }

        if (append.Expected.Value != position.Last)
            return AppendResult.Conflict(new SequenceNumber(position.Last));
        if (append.Events.Count == 0)
            return AppendResult.Written(new SequenceNumber(position.Last));

        var id = position.Id ?? commands.InsertStream(name);
        var sequence = position.Last;
        foreach (var data in append.Events)
            commands.InsertEvent(id, ++sequence, data);
        positions[name] = new StreamPosition(id, sequence, Changed: true);
        return AppendResult.Written(new SequenceNumber(sequence));
    }

    private readonly record struct StreamPosition(long? Id, long Last, bool Changed = false);
}
