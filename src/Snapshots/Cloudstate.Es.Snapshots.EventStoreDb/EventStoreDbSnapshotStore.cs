using System.Text.Json;
using Cloudstate.Es.Journal;
using Cloudstate.Es.Journal.EventStoreDb;
using EventStore.Client.Streams;
using Google.Protobuf;
using ProposedMessage = EventStore.Client.Streams.AppendReq.Types.ProposedMessage;

namespace Cloudstate.Es.Snapshots.EventStoreDb;

/// <summary>
/// Keeps the latest snapshot of each entity instance as the last event of a snapshot stream of its own
/// (<c>%snapshot:</c> and the event stream's name), whose metadata sets <c>$maxCount</c> 1 so the node keeps no older ones.
/// The event's <c>type</c> is the state's type URL, its data the state's bytes, and its JSON metadata the sequence number
/// the state includes. A save never replaces a newer snapshot: it appends after the one it read, or tries again.
/// </summary>
public sealed class EventStoreDbSnapshotStore(EventStoreDbNode node) : ISnapshotStore
{
    private const int SaveAttempts = 5;
    private static readonly byte[] KeepOne = """{"$maxCount":1}"""u8.ToArray();

    public async ValueTask<Snapshot?> LoadAsync(StreamId stream, CancellationToken cancellationToken) =>
        (await ReadLastAsync(node.Names.Snapshots(stream), cancellationToken).ConfigureAwait(false))?.Snapshot;

    public async ValueTask SaveAsync(StreamId stream, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var name = node.Names.Snapshots(stream);
        for (var attempt = 0; attempt < SaveAttempts; attempt++)
        {
            var last = await ReadLastAsync(name, cancellationToken).ConfigureAwait(false);
            if (last is { } kept && kept.Snapshot.Sequence >= snapshot.Sequence)
                return;
            if (last is null)
                await KeepOnlyTheLastAsync(name, cancellationToken).ConfigureAwait(false);
            var response = await node.AppendAsync(name, last?.Revision, [Message(snapshot)], cancellationToken).ConfigureAwait(false);
            if (response.ResultCase == AppendResp.ResultOneofCase.Success)
                return;
            // Another save came between the read and the append: read again and decide again.
        }

        throw new IOException($"The snapshot of '{stream}' could not be saved: {SaveAttempts} other saves came between its read and its append.");
    }

    /// <summary>Sets <c>$maxCount</c> 1 on the snapshot stream, before its first snapshot.</summary>
    private Task KeepOnlyTheLastAsync(string name, CancellationToken cancellationToken) => node.SetStreamMetadataAsync(name, KeepOne, cancellationToken);

    private static ProposedMessage Message(Snapshot snapshot) => new()
    {
        Id = Uuids.From(Guid.NewGuid()),
        Metadata = { ["type"] = snapshot.TypeUrl, ["content-type"] = EventStoreDbJournal.ContentType },
        CustomMetadata = ByteString.CopyFromUtf8(JsonSerializer.Serialize(new SnapshotMetadata(snapshot.Sequence.Value))),
        Data = ByteString.CopyFrom(snapshot.Data.Span),
    };

    private async Task<(Snapshot Snapshot, ulong Revision)?> ReadLastAsync(string name, CancellationToken cancellationToken)
    {
        await foreach (var recorded in node.ReadAsync(name, revision: null, backwards: true, 1, node.Deadline, cancellationToken).ConfigureAwait(false))
        {
            var metadata = JsonSerializer.Deserialize<SnapshotMetadata>(recorded.CustomMetadata.Span)
                ?? throw new InvalidDataException($"The snapshot stream '{name}' holds an event without its sequence number.");
            var snapshot = new Snapshot(new SequenceNumber(metadata.Sequence), recorded.Metadata["type"], recorded.Data.Memory);
            return (snapshot, recorded.StreamRevision);
        }

        return null;
    }

    private sealed record SnapshotMetadata([property: System.Text.Json.Serialization.JsonPropertyName("sequence")] long Sequence);
}
