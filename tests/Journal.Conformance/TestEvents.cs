using System.Text;

namespace Cloudstate.Es.Journal.Conformance;

/// <summary>Events for the suites: each carries a text tag as its data, so a read-back event tells where it came from.</summary>
public static class TestEvents
{
    public const string TypeUrl = "type.googleapis.com/cloudstate.es.test.Tagged";

    /// <summary>One event tagged <paramref name="tag"/>.</summary>
    public static EventData Tagged(string tag) => new(TypeUrl, Encoding.UTF8.GetBytes(tag));

    /// <summary><paramref name="count"/> events tagged <c>prefix:0</c>, <c>prefix:1</c>, and so on.</summary>
    public static EventData[] Tagged(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => Tagged($"{prefix}:{i}")).ToArray();

    /// <summary>The tag an event was written with.</summary>
    public static string TagOf(StoredEvent stored) => Encoding.UTF8.GetString(stored.Data.Span);

    /// <summary>Reads a whole stream, from <paramref name="from"/> on, into a list.</summary>
    public static async Task<List<StoredEvent>> ReadAllAsync(this IJournalReader journal, StreamId stream, SequenceNumber from)
    {
        var events = new List<StoredEvent>();
        await foreach (var stored in journal.ReadAsync(stream, from, CancellationToken.None))
            events.Add(stored);
        return events;
    }

    /// <summary>Reads a whole stream into a list.</summary>
    public static Task<List<StoredEvent>> ReadAllAsync(this IJournalReader journal, StreamId stream) =>
        journal.ReadAllAsync(stream, SequenceNumber.First);
}
