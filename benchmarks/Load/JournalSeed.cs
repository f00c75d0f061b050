using System.Diagnostics;
using Cloudstate.Es.Journal;
using Cloudstate.Es.Journal.Sqlite;
using Cloudstate.Es.Samples.ShoppingCart.Domain;
using Google.Protobuf;

namespace Cloudstate.Es.Load;

/// <summary>Writes ItemAdded events (quantity 1 each) for one cart straight into a SQLite journal, for the replay run.</summary>
internal static class JournalSeed
{
    public static async Task RunAsync(string data, string user, int events)
    {
        Directory.CreateDirectory(data);
        await using var journal = new SqliteJournal(new SqliteJournalOptions(Path.Combine(data, "journal.db")));
        var stream = StreamId.For("shopping-cart", user);
        var last = await journal.ReadLastSequenceAsync(stream, CancellationToken.None);
        var started = Stopwatch.StartNew();
        for (var written = 0; written < events; written += 1000)
        {
            var batch = Enumerable.Range(written, Math.Min(1000, events - written)).Select(i => new EventData(
                "type.googleapis.com/com.example.shoppingcart.persistence.ItemAdded",
                new ItemAdded { Item = new LineItem { ProductId = $"p{i % 100}", Name = "item", Quantity = 1 } }.ToByteArray())).ToArray();
            var result = await journal.AppendAsync(stream, last, batch, CancellationToken.None);
            last = result.LastSequence;
        }

        Console.WriteLine($"seeded {events} events for cart {user} in {started.Elapsed.TotalSeconds:F2} s (journal at {last})");
    }
}
