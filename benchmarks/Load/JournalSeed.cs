using System.Diagnostics;

namespace Cloudstate.Es.Load;

/// <summary>
/// Writes N events for one entity instance straight into the journal the proxy will read (<see cref="SeedJournal"/>),
/// for the replay run: items added to a cart, or increments of a counter.
/// </summary>
internal static class JournalSeed
{
    // Large appends keep a million events to a few hundred round trips.
    private const int EventsPerAppend = 2000;

    public static async Task RunAsync(EntityKind entity, string id, int events, SeedJournal target)
    {
        var journal = target.Journal;
        var stream = entity.Stream(id);
        var last = await journal.ReadLastSequenceAsync(stream, CancellationToken.None);
        var started = Stopwatch.StartNew();
        for (var written = 0; written < events; written += EventsPerAppend)
        {
            var batch = Enumerable.Range(written, Math.Min(EventsPerAppend, events - written)).Select(i => entity.SeedEvent(i)).ToArray();
            var result = await journal.AppendAsync(stream, last, batch, CancellationToken.None);
            if (result.IsConflict)
                throw new InvalidOperationException($"Stream {stream} moved to {result.LastSequence} while seeding at {last}: is a proxy writing to it?");
            last = result.LastSequence;
        }

        var seconds = started.Elapsed.TotalSeconds;
        Console.WriteLine($"seeded {events} events for {entity.Name()} {id} in {seconds:F2} s ({events / seconds:F0} events/s) into {target.Where} (stream {stream} at {last})");
    }
}
