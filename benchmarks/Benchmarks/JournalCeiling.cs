using System.Diagnostics;
using System.Globalization;
using Cloudstate.Es.Benchmarks.Suites;
using Cloudstate.Es.Journal.EventStoreDb;
using Cloudstate.Es.Journal.Postgres;
using Cloudstate.Es.Journal.Sqlite;
using Marten;
using Npgsql;

namespace Cloudstate.Es.Benchmarks;

/// <summary>
/// How fast each journal can append, without the proxy: one writer appending one event at a time (each append waits
/// for its commit), and many writers on their own streams (group commit). For PostgreSQL the same two shapes are
/// also written through Marten sessions, the alternative the journal's plain-Npgsql batch was measured against.
/// </summary>
internal static class JournalCeiling
{
    private static readonly EventData Event = new("type.googleapis.com/com.example.shoppingcart.persistence.ItemAdded", new byte[40]);

    /// <summary>Runs the four journals; the returned "RESULT journal.&lt;backend&gt;.&lt;shape&gt;" lines are for the report generator.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(string connectionString, Uri? eventStoreDb, TimeSpan duration, int writers)
    {
        var results = new List<string>();
        await RunAsync(connectionString, duration, writers, results);
        if (eventStoreDb is not null)
            await RunEventStoreDbAsync(eventStoreDb, duration, writers, results);
        return results;
    }

    /// <summary>The EventStoreDB journal (appends on one BatchAppend call) and the same events sent straight through it.</summary>
    private static async Task RunEventStoreDbAsync(Uri address, TimeSpan duration, int writers, List<string> results)
    {
        await Row("eventstoredb", "EventStoreDB, BatchAppend (the journal)", async concurrency =>
        {
            using var node = new EventStoreDbNode(new EventStoreDbOptions(address) { StreamPrefix = $"bench{Guid.NewGuid():N}-" });
            await using var journal = await EventStoreDbJournal.OpenAsync(node, CancellationToken.None);
            return (await AppendLoopAsync(journal, concurrency, duration), null);
        }, writers, results);
        await RawRow("eventstoredb_rounds", "EventStoreDB, raw BatchAppend rounds", () =>
            Task.FromResult<IRawEventTable>(new EventStoreDbRawBatch(address, writers, Event)), writers, duration, results);
        await using var pipeline = new EventStoreDbRawBatch(address, writers, Event);
        var rate = await pipeline.PipelineAsync(duration, CancellationToken.None);
        Console.WriteLine($"{"EventStoreDB, raw BatchAppend pipeline",-44} {"",22} {rate,24:N0} {writers,18:F1}");
        results.Add($"RESULT journal.eventstoredb_raw.grouped={rate.ToString("F1", CultureInfo.InvariantCulture)} events/s");
        var appends = await EventStoreDbRawAppend.PipelineAsync(address, writers, Event, duration);
        Console.WriteLine($"{"EventStoreDB, raw Append calls in flight",-44} {"",22} {appends,24:N0} {1.0,18:F1}");
        results.Add($"RESULT journal.eventstoredb_append_raw.grouped={appends.ToString("F1", CultureInfo.InvariantCulture)} events/s");
    }

    private static async Task RunAsync(string connectionString, TimeSpan duration, int writers, List<string> results)
    {
        Console.WriteLine($"Appends of one 40-byte event, {duration.TotalSeconds:F0} s each; {Environment.ProcessorCount} cores.");
        Console.WriteLine($"{"journal",-44} {"1 writer (appends/s)",22} {$"{writers} writers (events/s)",24} {"events per commit",18}");
        var folder = Directory.CreateTempSubdirectory("cloudstate-bench-");
        try
        {
            await Row("sqlite", "SQLite (WAL, synchronous=FULL)", async concurrency =>
            {
                var journal = new SqliteJournal(new SqliteJournalOptions(Path.Combine(folder.FullName, $"journal-{concurrency}.db")));
                await using (journal)
                    return (await AppendLoopAsync(journal, concurrency, duration), journal.AppendsCommitted / (double)Math.Max(1, journal.BatchesCommitted));
            }, writers, results);
            await RawRow("sqlite", "SQLite, raw batched insert (the ceiling)", () =>
                Task.FromResult<IRawEventTable>(new SqliteRawEventTable(Path.Combine(folder.FullName, "raw.db"), writers, Event)), writers, duration, results);
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await Row("postgres", "PostgreSQL, plain Npgsql batch (the journal)", async concurrency =>
        {
            var schema = await FreshSchemaAsync(dataSource, $"bench_npgsql_{concurrency}");
            var journal = await PostgresJournal.OpenAsync(new PostgresJournalOptions(dataSource) { Schema = schema }, CancellationToken.None);
            await using (journal)
                return (await AppendLoopAsync(journal, concurrency, duration), journal.AppendsCommitted / (double)Math.Max(1, journal.BatchesCommitted));
        }, writers, results);
        await RawRow("postgres", "PostgreSQL, raw batched insert (the ceiling)", async () =>
            await PostgresRawEventTable.CreateAsync(dataSource, await FreshSchemaAsync(dataSource, "bench_raw"), writers, Event, CancellationToken.None), writers, duration, results);
        await RawRow("postgres_marten", "PostgreSQL, raw rows into Marten's tables", async () =>
            await PostgresMartenRawTable.CreateAsync(dataSource, await FreshSchemaAsync(dataSource, "bench_raw_marten"), writers, Event, CancellationToken.None), writers, duration, results);
        await Row("marten_per_append", "PostgreSQL, Marten session per append", async concurrency =>
        {
            var schema = await FreshSchemaAsync(dataSource, $"bench_marten_{concurrency}");
            await using var store = MartenEventStore.Create(dataSource, schema);
            return (await MartenPerAppendAsync(store, concurrency, duration), 1.0);
        }, writers, results);
        await Row("marten_per_batch", "PostgreSQL, Marten session per batch", async concurrency =>
        {
            var schema = await FreshSchemaAsync(dataSource, $"bench_marten_batch_{concurrency}");
            await using var store = MartenEventStore.Create(dataSource, schema);
            return (await MartenPerBatchAsync(store, concurrency, duration), (double)concurrency);
        }, writers, results);
    }

    /// <param name="measure">The rate for a count of writers, and the events per commit when the journal knows them (the
    /// EventStoreDB node groups its commits itself and does not say).</param>
    private static async Task Row(string key, string name, Func<int, Task<(double Rate, double? PerCommit)>> measure, int writers, List<string> results)
    {
        var (single, _) = await measure(1);
        var (grouped, perCommit) = await measure(writers);
        Console.WriteLine($"{name,-44} {single,22:N0} {grouped,24:N0} {(perCommit is { } known ? known.ToString("F1", CultureInfo.InvariantCulture) : "(node's own)"),18}");
        results.Add($"RESULT journal.{key}.single={single.ToString("F1", CultureInfo.InvariantCulture)} appends/s");
        results.Add($"RESULT journal.{key}.grouped={grouped.ToString("F1", CultureInfo.InvariantCulture)} events/s");
        if (perCommit is { } events)
            results.Add($"RESULT journal.{key}.per_commit={events.ToString("F1", CultureInfo.InvariantCulture)} events");
    }

    /// <summary>
    /// The same rows as the grouped appends (one event to each of <paramref name="writers"/> streams per round) written
    /// straight through the driver, a round per transaction, back to back: what the backend allows without a journal.
    /// </summary>
    private static async Task RawRow(string key, string name, Func<Task<IRawEventTable>> open, int writers, TimeSpan duration, List<string> results)
    {
        await using var table = await open();
        var clock = Stopwatch.StartNew();
        long rounds = 0;
        while (clock.Elapsed < duration)
            await table.InsertRoundAsync(++rounds, CancellationToken.None);
        var rate = rounds * writers / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{name,-44} {"",22} {rate,24:N0} {writers,18:F1}");
        results.Add($"RESULT journal.{key}_raw.grouped={rate.ToString("F1", CultureInfo.InvariantCulture)} events/s");
    }

    /// <summary>Events per second appended by <paramref name="writers"/> writers, each appending one event at a time to its own stream.</summary>
    private static async Task<double> AppendLoopAsync(IJournal journal, int writers, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            var stream = StreamId.For("bench", $"w{writer}");
            var last = SequenceNumber.None;
            var appended = 0;
            while (clock.Elapsed < duration)
            {
                last = (await journal.AppendAsync(stream, last, [Event], CancellationToken.None)).LastSequence;
                appended++;
            }

            return appended;
        })));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> MartenPerAppendAsync(DocumentStore store, int writers, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            var stream = $"bench|w{writer}";
            var appended = 0;
            while (clock.Elapsed < duration)
            {
                await using var session = store.LightweightSession();
                session.Events.Append(stream, appended + 1L, new JournalEvent(Event.TypeUrl, Event.Data.ToArray()));
                await session.SaveChangesAsync();
                appended++;
            }

            return appended;
        })));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }

    /// <summary>One session writes one event to each of <paramref name="streams"/> streams per SaveChanges: Marten doing the group commit.</summary>
    private static async Task<double> MartenPerBatchAsync(DocumentStore store, int streams, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        long appended = 0;
        for (var round = 1L; clock.Elapsed < duration; round++)
        {
            await using var session = store.LightweightSession();
            for (var s = 0; s < streams; s++)
                session.Events.Append($"bench|w{s}", round, new JournalEvent(Event.TypeUrl, Event.Data.ToArray()));
            await session.SaveChangesAsync();
            appended += streams;
        }

        return appended / clock.Elapsed.TotalSeconds;
    }

    private static async Task<string> FreshSchemaAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        await drop.ExecuteNonQueryAsync();
        await MartenEventStore.ApplySchemaAsync(dataSource, schema, CancellationToken.None);
        return schema;
    }
}
