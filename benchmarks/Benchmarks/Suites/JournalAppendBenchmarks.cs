using BenchmarkDotNet.Attributes;
using Cloudstate.Es.Journal.Postgres;
using Cloudstate.Es.Journal.Sqlite;
using Npgsql;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>The journal backends a benchmark runs against.</summary>
public enum JournalBackend
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Appends of one 40-byte event: one append at a time, each awaited (one commit per event); <see cref="Writers"/>
/// appenders at once on their own streams (group commit); and the ceiling, the same rows inserted straight through
/// the driver in one transaction. Every operation writes <see cref="Writers"/> events, so the times are per event.
/// </summary>
[MemoryDiagnoser]
// Not sealed: BenchmarkDotNet derives its runner from the class.
public class JournalAppendBenchmarks
{
    public const int Writers = 64;
    public const string Schema = "bench_bdn";

    private static readonly EventData[] OneEvent = [new("type.googleapis.com/com.example.shoppingcart.persistence.ItemAdded", new byte[40])];

    private readonly StreamId[] streams = Enumerable.Range(0, Writers).Select(w => StreamId.For("bench", $"w{w}")).ToArray();
    private readonly SequenceNumber[] last = new SequenceNumber[Writers];
    private readonly Task[] appends = new Task[Writers];
    private IJournal journal = null!;
    private IRawEventTable raw = null!;
    private long rawRound;
    private DirectoryInfo? folder;
    private NpgsqlDataSource? dataSource;

    [Params(JournalBackend.Sqlite, JournalBackend.Postgres)]
    public JournalBackend Backend { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        Array.Fill(last, SequenceNumber.None);
        if (Backend == JournalBackend.Sqlite)
        {
            folder = Directory.CreateTempSubdirectory("cloudstate-bdn-");
            journal = new SqliteJournal(new SqliteJournalOptions(Path.Combine(folder.FullName, "journal.db")));
            raw = new SqliteRawEventTable(Path.Combine(folder.FullName, "raw.db"), Writers, OneEvent[0]);
            return;
        }

        dataSource = NpgsqlDataSource.Create(BenchDatabase.ConnectionString);
        await using (var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE"))
            await drop.ExecuteNonQueryAsync();
        await MartenEventStore.ApplySchemaAsync(dataSource, Schema, CancellationToken.None);
        journal = await PostgresJournal.OpenAsync(new PostgresJournalOptions(dataSource) { Schema = Schema }, CancellationToken.None);
        raw = await PostgresRawEventTable.CreateAsync(dataSource, Schema, Writers, OneEvent[0], CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        var (appended, batches) = journal switch
        {
            SqliteJournal sqlite => (sqlite.AppendsCommitted, sqlite.BatchesCommitted),
            PostgresJournal postgres => (postgres.AppendsCommitted, postgres.BatchesCommitted),
            _ => (0L, 0L),
        };
        if (batches > 0)
            Console.WriteLine($"// {Backend}: {appended} appends in {batches} commits, {appended / (double)batches:F1} per commit");
        await ((IAsyncDisposable)journal).DisposeAsync();
        await raw.DisposeAsync();
        if (dataSource is not null)
            await dataSource.DisposeAsync();
        folder?.Delete(recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Writers)]
    public async Task OneAppendAtATime()
    {
        for (var i = 0; i < Writers; i++)
            await AppendNextAsync(0);
    }

    [Benchmark(OperationsPerInvoke = Writers)]
    public Task ConcurrentAppenders()
    {
        for (var w = 0; w < Writers; w++)
            appends[w] = AppendNextAsync(w);
        return Task.WhenAll(appends);
    }

    [Benchmark(OperationsPerInvoke = Writers)]
    public Task RawBatchCeiling() => raw.InsertRoundAsync(++rawRound, CancellationToken.None);

    private async Task AppendNextAsync(int writer)
    {
        var result = await journal.AppendAsync(streams[writer], last[writer], OneEvent, CancellationToken.None);
        last[writer] = result.IsConflict
            ? throw new InvalidOperationException($"Stream {streams[writer]} is at {result.LastSequence}, not {last[writer]}.")
            : result.LastSequence;
    }
}
