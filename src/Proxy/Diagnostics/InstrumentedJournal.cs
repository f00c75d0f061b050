using System.Diagnostics;
using Cloudstate.Es.Journal;

namespace Cloudstate.Es.Proxy.Diagnostics;

/// <summary>The journal as the entities use it, with each append counted, timed and traced: one decorator for every backend.</summary>
internal sealed class InstrumentedJournal(IJournal inner, ProxyInstruments instruments) : IJournal
{
    public async ValueTask<AppendResult> AppendAsync(StreamId stream, SequenceNumber expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = ProxyTracing.Source.StartActivity("journal append", ActivityKind.Client);
        activity?.SetTag("cloudstate.events", events.Count);
        AppendResult result;
        try
        {
            result = await inner.AppendAsync(stream, expected, events, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            instruments.Appended("error", events.Count, started);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }

        var outcome = result.IsConflict ? "conflict" : "written";
        instruments.Appended(outcome, events.Count, started);
        activity?.SetTag("cloudstate.outcome", outcome);
        return result;
    }

    public IAsyncEnumerable<StoredEvent> ReadAsync(StreamId stream, SequenceNumber from, CancellationToken cancellationToken) => inner.ReadAsync(stream, from, cancellationToken);

    public ValueTask<SequenceNumber> ReadLastSequenceAsync(StreamId stream, CancellationToken cancellationToken) => inner.ReadLastSequenceAsync(stream, cancellationToken);
}
