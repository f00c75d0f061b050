using System.Diagnostics;
using System.Text;
using Cloudstate.Es.Samples.Counter.Api;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cloudstate.Es.Load;

/// <summary>
/// The write command of one sample entity (the cart's AddItem, the counter's Increment by 1) over gRPC or HTTP/JSON,
/// or its read (GetCart, GetCounter: nothing to journal), and the read over gRPC for the replay. A failure is an
/// <see cref="RpcException"/> either way.
/// </summary>
internal sealed class EntityCommand : IDisposable
{
    private readonly EntityKind entity;
    private readonly GrpcChannel channel;
    private readonly HttpClient http;
    private readonly ShoppingCart.ShoppingCartClient cart;
    private readonly Counter.CounterClient counter;
    private readonly Func<string, Task> send;

    public EntityCommand(EntityKind entity, string target, string protocol, int clients, bool read = false)
    {
        this.entity = entity;
        channel = GrpcChannel.ForAddress($"http://{target}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri($"http://{target}") };
        cart = new ShoppingCart.ShoppingCartClient(channel);
        counter = new Counter.CounterClient(channel);
        send = (entity, protocol, read) switch
        {
            (EntityKind.Cart, "grpc", true) => async id => await cart.GetCartAsync(new GetShoppingCart { UserId = id }),
            (EntityKind.Counter, "grpc", true) => async id => await counter.GetCounterAsync(new GetCounter { CounterId = id }),
            (_, _, true) => throw new ArgumentException("--read: reads are sent over gRPC only"),
            (EntityKind.Cart, "grpc", _) => async id => await cart.AddItemAsync(NewItem(id)),
            (EntityKind.Cart, "json", _) => id => PostJsonAsync($"/cart/{id}/items/add", $$"""{"productId":"{{Product()}}","name":"item","quantity":1}"""),
            (EntityKind.Counter, "grpc", _) => async id => await counter.IncrementAsync(new IncrementCounter { CounterId = id, By = 1 }),
            (EntityKind.Counter, "json", _) => id => PostJsonAsync($"/counters/{id}/increment", """{"by":1}"""),
            _ => throw new ArgumentException($"--protocol: '{protocol}' is neither grpc nor json"),
        };
    }

    /// <summary>Opens the gRPC connection, so that the first command's time is not the connection's.</summary>
    public Task ConnectAsync() => channel.ConnectAsync();

    /// <summary>The command to the instance <paramref name="id"/>: one item added, or the counter incremented by 1; or its read.</summary>
    public Task SendAsync(string id) => send(id);

    /// <summary>The command to <paramref name="id"/>, retried for up to 30 s until the target answers: the proxy may still be discovering its user function.</summary>
    public async Task SendUntilAnsweredAsync(string id)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await SendAsync(id);
                return;
            }
            catch (Exception e) when (e is RpcException or HttpRequestException && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>
    /// Reads the instance <paramref name="id"/> and returns how many events it holds, given that each was one item
    /// or an increment by 1 (<see cref="EntityKinds.SeedEvent"/>): the cart's item count, the counter's value.
    /// </summary>
    public async Task<long> ReadAsync(string id, DateTime? deadline = null)
    {
        if (entity == EntityKind.Cart)
            return (await cart.GetCartAsync(new GetShoppingCart { UserId = id }, deadline: deadline)).Items.Sum(i => (long)i.Quantity);
        return (await counter.GetCounterAsync(new GetCounter { CounterId = id }, deadline: deadline)).Value;
    }

    private static AddLineItem NewItem(string user) => new() { UserId = user, ProductId = Product(), Name = "item", Quantity = 1 };

    private static string Product() => $"p{Random.Shared.Next(20)}";

    private async Task PostJsonAsync(string path, string body)
    {
        using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
            throw new RpcException(new Status(StatusCode.Unknown, $"HTTP {(int)response.StatusCode}"));
        await response.Content.ReadAsByteArrayAsync();
    }

    public void Dispose()
    {
        http.Dispose();
        channel.Dispose();
    }
}
