using System.Diagnostics;
using Cloudstate.Es.Journal;

namespace Cloudstate.Es.Proxy.Diagnostics;

/// <summary>The journal as the entities use it, with each append counted and timed: one decorator for every backend.</summary>
internal sealed class InstrumentedJournal(IJournal inner, ProxyInstruments instruments) : IJournal
{
    public async ValueTask<AppendResult> AppendAsync(StreamId stream, SequenceNumber expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        AppendResult result;
        try
        {
            result = await inner.AppendAsync(stream, expected, events, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            instruments.Appended("error", events.Count, started);
            throw;
        }

        instruments.Appended(result.IsConflict ? "conflict" : "written", events.Count, started);
        return result;
    }

    public IAsyncEnumerable<StoredEvent> ReadAsync(StreamId stream, SequenceNumber from, CancellationToken cancellationToken) => inner.ReadAsync(stream, from, cancellationToken);

    public ValueTask<SequenceNumber> ReadLastSequenceAsync(StreamId stream, CancellationToken cancellationToken) => inner.ReadLastSequenceAsync(stream, cancellationToken);
}
