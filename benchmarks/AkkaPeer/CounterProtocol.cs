namespace Cloudstate.Es.Benchmarks.AkkaPeer;

/// <summary>The command: add <paramref name="By"/> to the counter; the reply is the new value.</summary>
public sealed record Increment(int By);

/// <summary>The one event of the counter, persisted for every <see cref="Increment"/>.</summary>
public sealed record Incremented(int By);

/// <summary>Seeds the counter with <paramref name="Events"/> events of +1, persisted in atomic chunks; the reply is <see cref="Filled"/>.</summary>
public sealed record Fill(int Events, int Chunk);

/// <summary>The reply to <see cref="Fill"/>: the counter's value and last sequence number once all chunks are persisted.</summary>
public sealed record Filled(long Value, long SequenceNr);

/// <summary>What a counter reports when its recovery completes.</summary>
public sealed record Recovered(long Value, long SequenceNr);
