using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Cloudstate.Es.Journal.InMemory;

/// <summary>A journal kept in process memory, for tests: same semantics as the durable backends, nothing survives.</summary>
public sealed class InMemoryJournal : IJournal
{
    private readonly ConcurrentDictionary<StreamId, EventStream> streams = new();

    public ValueTask<AppendResult> AppendAsync(StreamId stream, SequenceNumber expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        AppendArguments.Check(stream, expected, events);
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<AppendResult>(cancellationToken);
        return ValueTask.FromResult(streams.GetOrAdd(stream, static _ => new EventStream()).Append(expected, events));
    }

    public async IAsyncEnumerable<StoredEvent> ReadAsync(StreamId stream, SequenceNumber from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        if (!streams.TryGetValue(stream, out var events))
            yield break;
        foreach (var stored in events.From(from))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return stored;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask<SequenceNumber> ReadLastSequenceAsync(StreamId stream, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(streams.TryGetValue(stream, out var events) ? events.Last : SequenceNumber.None);
    }

    /// <summary>One stream's events; a lock makes each append all-or-nothing and checked against the last sequence.</summary>
    private sealed class EventStream
    {
        private readonly Lock gate = new();
        private readonly List<StoredEvent> events = [];

        public SequenceNumber Last
        {
            get
            {
                lock (gate)
                    return new SequenceNumber(events.Count);
            }
        }

        public AppendResult Append(SequenceNumber expected, IReadOnlyList<EventData> appended)
        {
            lock (gate)
            {
                var last = new SequenceNumber(events.Count);
                if (expected != last)
                    return AppendResult.Conflict(last);
                foreach (var data in appended)
                {
                    // Copied: the caller may reuse its buffers once the append returns.
                    last = last.Next;
                    events.Add(new StoredEvent(last, data.TypeUrl, data.Data.ToArray()));
                }

                return AppendResult.Written(last);
            }
        }

        /// <summary>A copy of the events from <paramref name="from"/> on, so readers never see a half-done append.</summary>
        public StoredEvent[] From(SequenceNumber from)
        {
            lock (gate)
            {
                var start = (int)Math.Clamp(from.Value - 1, 0, events.Count);
                return events.GetRange(start, events.Count - start).ToArray();
            }
        }
    }
}
