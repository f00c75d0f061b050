using Cloudstate.Es.Samples.ShoppingCart.Api;
using Cloudstate.Es.Samples.ShoppingCart.Domain;
using Google.Protobuf.WellKnownTypes;
using Cloudstate.Es.Journal;
using Cloudstate.Es.Journal.EventStoreDb;
using Npgsql;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

/// <summary>The carts as the journal holds them (PostgreSQL or EventStoreDB): each cart's added products in sequence order.</summary>
internal static class CartJournal
{
    /// <summary>Every cart stream's products; throws when a stream's sequence numbers do not run 1, 2, 3... without a gap.</summary>
    public static async Task<Dictionary<string, List<string>>> ReadAsync(NpgsqlDataSource dataSource, string schema)
    {
        var carts = new Dictionary<string, List<string>>();
        await using var command = dataSource.CreateCommand($"SELECT stream_id, version, bdata FROM {schema}.mt_events WHERE stream_id LIKE 'shopping-cart|%' ORDER BY stream_id, version");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var cart = reader.GetString(0)["shopping-cart|".Length..];
            if (!carts.TryGetValue(cart, out var products))
                carts[cart] = products = [];
            var sequence = reader.GetInt64(1);
            if (sequence != products.Count + 1)
                throw new InvalidDataException($"Cart {cart}: sequence {sequence} follows {products.Count}.");
            products.Add(Any.Parser.ParseFrom(reader.GetFieldValue<byte[]>(2)).Unpack<ItemAdded>().Item.ProductId);
        }

        return carts;
    }

    /// <summary>
    /// Asserts that every command <paramref name="traffic"/> saw acknowledged is in the journal exactly once, that no command
    /// is there twice, that sequences run without a gap, and that every cart reads back through <paramref name="reader"/> as
    /// its journal holds it. A line with the counts.
    /// </summary>
    public static async Task<string> AssertExactlyOnceAsync(NpgsqlDataSource dataSource, string schema, CartTraffic traffic, ShoppingCart.ShoppingCartClient reader) =>
        await AssertExactlyOnceAsync(await ReadAsync(dataSource, schema), traffic, reader);

    /// <summary>The carts 0 to <paramref name="entities"/> - 1 as an EventStoreDB node's journal holds them (those never written left out).</summary>
    public static async Task<Dictionary<string, List<string>>> ReadAsync(Uri eventStoreDb, int entities)
    {
        using var node = new EventStoreDbNode(new EventStoreDbOptions(eventStoreDb));
        await using var journal = await EventStoreDbJournal.OpenAsync(node, CancellationToken.None);
        var carts = new Dictionary<string, List<string>>();
        for (var entity = 0; entity < entities; entity++)
        {
            var cart = CartTraffic.Cart(entity);
            var products = new List<string>();
            await foreach (var stored in journal.ReadAsync(new StreamId($"shopping-cart|{cart}"), SequenceNumber.First, CancellationToken.None))
            {
                if (stored.Sequence.Value != products.Count + 1)
                    throw new InvalidDataException($"Cart {cart}: sequence {stored.Sequence.Value} follows {products.Count}.");
                products.Add(ItemAdded.Parser.ParseFrom(stored.Data.Span).Item.ProductId);
            }

            if (products.Count > 0)
                carts[cart] = products;
        }

        return carts;
    }

    /// <inheritdoc cref="AssertExactlyOnceAsync(NpgsqlDataSource, string, CartTraffic, ShoppingCart.ShoppingCartClient)"/>
    public static async Task<string> AssertExactlyOnceAsync(Dictionary<string, List<string>> journal, CartTraffic traffic, ShoppingCart.ShoppingCartClient reader)
    {
        var duplicates = journal.SelectMany(c => c.Value.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => $"{c.Key}/{g.Key}")).ToList();
        var missing = traffic.Acknowledged.Keys.Where(k => !journal.TryGetValue(k.Cart, out var products) || !products.Contains(k.Product)).ToList();
        Assert.True(duplicates.Count == 0, $"stored twice: {string.Join(", ", duplicates.Take(20))}");
        Assert.True(missing.Count == 0, $"acknowledged but not stored: {string.Join(", ", missing.Take(20))}");
        var wrong = new List<string>();
        foreach (var (cart, products) in journal)
        {
            var items = (await reader.GetCartAsync(new GetShoppingCart { UserId = cart }, deadline: DateTime.UtcNow.AddSeconds(20))).Items;
            if (!items.Select(i => i.ProductId).Order(StringComparer.Ordinal).SequenceEqual(products.Order(StringComparer.Ordinal)) || items.Any(i => i.Quantity != 1))
                wrong.Add($"{cart}: {items.Count} items, {products.Count} events");
        }

        Assert.True(wrong.Count == 0, $"carts that read back unlike their journal: {string.Join("; ", wrong.Take(10))}");
        return $"journal: {journal.Values.Sum(p => p.Count)} events in {journal.Count} carts for {traffic.Acknowledged.Count} acknowledged commands; {traffic.Failures.Count} failed in all";
    }
}
