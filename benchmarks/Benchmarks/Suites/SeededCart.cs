using System.Collections.Immutable;
using Cloudstate.Es.Journal.Postgres;
using Cloudstate.Es.Journal.Sqlite;
using Cloudstate.Es.Samples.ShoppingCart;
using Cloudstate.Es.Samples.ShoppingCart.Domain;
using Cloudstate.Es.Snapshots;
using Cloudstate.Es.Snapshots.Postgres;
using Cloudstate.Es.Snapshots.Sqlite;
using Google.Protobuf;
using Npgsql;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// One shopping cart in a fresh journal and snapshot store of the chosen backend: ItemAdded events of quantity 1 over
/// 100 products, as benchmarks/Load/JournalSeed.cs writes them, so the cart's item count is its number of events;
/// optionally with a snapshot at the last event, the one the cart entity would have offered.
/// </summary>
internal sealed class SeededCart : IAsyncDisposable
{
    public const string PersistenceId = "shopping-cart";
    public const string User = "replay";
    private const string Schema = "bench_replay";
    private const int Products = 100;
    private const string ItemName = "item";
    // One transaction per append: a million events seed in a few seconds, not a few minutes.
    private const int EventsPerAppend = 20_000;

    private readonly DirectoryInfo? folder;
    private readonly NpgsqlDataSource? dataSource;

    private SeededCart(IJournal journal, ISnapshotStore snapshots, DirectoryInfo? folder, NpgsqlDataSource? dataSource)
    {
        Journal = journal;
        Snapshots = snapshots;
        this.folder = folder;
        this.dataSource = dataSource;
    }

    public static StreamId Stream { get; } = StreamId.For(PersistenceId, User);

    public IJournal Journal { get; }

    public ISnapshotStore Snapshots { get; }

    /// <summary>A new journal (a SQLite file in a temporary folder, or the PostgreSQL schema bench_replay made anew) holding the cart.</summary>
    public static async Task<SeededCart> CreateAsync(JournalBackend backend, int events, bool snapshot, CancellationToken cancellationToken)
    {
        var cart = backend == JournalBackend.Sqlite ? OpenSqlite() : await OpenPostgresAsync(cancellationToken);
        try
        {
            await cart.AppendAsync(events, cancellationToken);
            if (snapshot)
            {
                var state = SnapshotAfter(events);
                var typeUrl = $"type.googleapis.com/{Cart.Descriptor.FullName}";
                await cart.Snapshots.SaveAsync(Stream, new Snapshot(new SequenceNumber(events), typeUrl, state.ToByteArray()), cancellationToken);
            }

            return cart;
        }
        catch
        {
            await cart.DisposeAsync();
            throw;
        }
    }

    /// <summary>The cart after its first <paramref name="events"/> events, in the snapshot type of the cart entity.</summary>
    public static Cart SnapshotAfter(int events) => new CartState(Enumerable.Range(0, Math.Min(events, Products))
        .Select(p => new CartLine(ProductId(p), ItemName, (events / Products) + (p < events % Products ? 1 : 0)))
        .ToImmutableList()).ToSnapshot();

    public async ValueTask DisposeAsync()
    {
        await ((IAsyncDisposable)Journal).DisposeAsync();
        if (Snapshots is IAsyncDisposable snapshots)
            await snapshots.DisposeAsync();
        if (dataSource is not null)
        {
            // A million rows are worth giving back at once rather than at the next run's drop.
            await DropSchemaAsync(dataSource, CancellationToken.None);
            await dataSource.DisposeAsync();
        }

        folder?.Delete(recursive: true);
    }

    private static SeededCart OpenSqlite()
    {
        var folder = Directory.CreateTempSubdirectory("cloudstate-replay-");
        return new SeededCart(
            new SqliteJournal(new SqliteJournalOptions(Path.Combine(folder.FullName, "journal.db"))),
            new SqliteSnapshotStore(Path.Combine(folder.FullName, "snapshots.db")),
            folder,
            null);
    }

    private static async Task<SeededCart> OpenPostgresAsync(CancellationToken cancellationToken)
    {
        var dataSource = NpgsqlDataSource.Create(BenchDatabase.ConnectionString);
        await DropSchemaAsync(dataSource, cancellationToken);
        var journal = await PostgresJournal.OpenAsync(new PostgresJournalOptions(dataSource) { Schema = Schema }, cancellationToken);
        var snapshots = await PostgresSnapshotStore.OpenAsync(dataSource, Schema, cancellationToken);
        return new SeededCart(journal, snapshots, null, dataSource);
    }

    private static async Task DropSchemaAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task AppendAsync(int events, CancellationToken cancellationToken)
    {
        // The events of one product are byte for byte the same, so they share one payload array.
        var typeUrl = $"type.googleapis.com/{ItemAdded.Descriptor.FullName}";
        var payloads = Enumerable.Range(0, Products)
            .Select(p => new EventData(typeUrl, new ItemAdded { Item = new LineItem { ProductId = ProductId(p), Name = ItemName, Quantity = 1 } }.ToByteArray()))
            .ToArray();
        var last = SequenceNumber.None;
        var batch = new List<EventData>(EventsPerAppend);
        for (var written = 0; written < events; written += batch.Count)
        {
            batch.Clear();
            for (var i = written; i < Math.Min(events, written + EventsPerAppend); i++)
                batch.Add(payloads[i % Products]);
            var result = await Journal.AppendAsync(Stream, last, batch, cancellationToken);
            last = result.IsConflict
                ? throw new InvalidOperationException($"Stream {Stream} is at {result.LastSequence}, not {last}: the journal was not fresh.")
                : result.LastSequence;
        }
    }

    private static string ProductId(int product) => $"p{product}";
}
