namespace Cloudstate.Es.Journal;

/// <summary>An event to append: the payload of a protobuf <c>Any</c>, kept as bytes the journal never parses.</summary>
public readonly record struct EventData(string TypeUrl, ReadOnlyMemory<byte> Data);

/// <summary>An event read back from the journal, at its position in the stream.</summary>
public readonly record struct StoredEvent(SequenceNumber Sequence, string TypeUrl, ReadOnlyMemory<byte> Data);
