using System.Text;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cloudstate.Es.Load;

/// <summary>The AddItem command sent over gRPC or over HTTP/JSON; a failure is an <see cref="RpcException"/> either way.</summary>
internal sealed class CartCommand : IDisposable
{
    private readonly GrpcChannel channel;
    private readonly HttpClient http;
    private readonly Func<AddLineItem, Task> send;

    public CartCommand(string target, string protocol, int clients)
    {
        channel = GrpcChannel.ForAddress($"http://{target}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri($"http://{target}") };
        var cart = new ShoppingCart.ShoppingCartClient(channel);
        send = protocol switch
        {
            "grpc" => async item => await cart.AddItemAsync(item),
            "json" => AddOverJsonAsync,
            _ => throw new ArgumentException($"--protocol: '{protocol}' is neither grpc nor json"),
        };
    }

    public Task AddItemAsync(AddLineItem item) => send(item);

    private async Task AddOverJsonAsync(AddLineItem item)
    {
        var body = $$"""{"productId":"{{item.ProductId}}","name":"{{item.Name}}","quantity":{{item.Quantity}}}""";
        using var response = await http.PostAsync($"/cart/{item.UserId}/items/add", new StringContent(body, Encoding.UTF8, "application/json"));
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
