namespace Cloudstate.Es.Journal.Batching;

/// <summary>An append waiting in a <see cref="GroupCommitWriter"/>'s queue; completed only after its batch commits.</summary>
public sealed class PendingAppend(StreamId stream, SequenceNumber expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    : TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public StreamId Stream { get; } = stream;

    public SequenceNumber Expected { get; } = expected;

    public IReadOnlyList<EventData> Events { get; } = events;

    public CancellationToken CancellationToken { get; } = cancellationToken;
}
