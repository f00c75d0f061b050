namespace Cloudstate.Es.Journal.Sqlite;

/// <summary>An append waiting in the queue for the writer; completed only after its batch commits.</summary>
internal sealed class PendingAppend(StreamId stream, SequenceNumber expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    : TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public StreamId Stream { get; } = stream;

    public SequenceNumber Expected { get; } = expected;

    public IReadOnlyList<EventData> Events { get; } = events;

    public CancellationToken CancellationToken { get; } = cancellationToken;
}
