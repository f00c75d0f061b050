using Cloudstate.Es.Samples.ShoppingCart.Domain;
using Google.Protobuf.WellKnownTypes;
using Npgsql;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

/// <summary>The carts as the PostgreSQL journal holds them: each cart's added products in sequence order.</summary>
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
}
