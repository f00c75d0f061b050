using System.Collections.Concurrent;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

/// <summary>
/// Clients adding items to random carts through random nodes, as a load balancer in front of the cluster would spread
/// them: each command adds a product no other command adds, so the journal shows whether each was stored exactly once.
/// </summary>
internal sealed class CartTraffic : IAsyncDisposable
{
    private readonly Dictionary<ClusterNode, ShoppingCart.ShoppingCartClient> clients = [];
    private readonly List<GrpcChannel> channels = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task[] running;
    private ClusterNode[] targets;
    private IReadOnlyList<string>? chosen;

    public CartTraffic(IReadOnlyList<ClusterNode> nodes, int entities, int concurrency)
    {
        foreach (var node in nodes)
        {
            var channel = GrpcChannel.ForAddress(node.Address);
            channels.Add(channel);
            clients[node] = new ShoppingCart.ShoppingCartClient(channel);
        }

        targets = [.. nodes];
        Entities = entities;
        running = Enumerable.Range(0, concurrency).Select(client => Task.Run(() => RunAsync(client))).ToArray();
    }

    public int Entities { get; }

    /// <summary>(cart, product) of every command a client saw succeed, and the node it went through.</summary>
    public ConcurrentDictionary<(string Cart, string Product), string> Acknowledged { get; } = new();

    /// <summary>Every command a client saw fail: when it was sent, through which node, and the status.</summary>
    public ConcurrentQueue<(DateTime SentAt, string Node, StatusCode Code, string Detail)> Failures { get; } = new();

    /// <summary>How many commands sent through <paramref name="node"/> were acknowledged.</summary>
    public int AcknowledgedThrough(ClusterNode node) => Acknowledged.Values.Count(name => name == node.Name);

    /// <summary>The failures of the commands sent from <paramref name="from"/> until <paramref name="until"/>.</summary>
    public List<(DateTime SentAt, string Node, StatusCode Code, string Detail)> FailuresSent(DateTime from, DateTime until) =>
        Failures.Where(f => f.SentAt >= from && f.SentAt < until).ToList();

    /// <summary>The failures counted by status code, as "Unavailable 3, DeadlineExceeded 1", or "none".</summary>
    public static string Codes(IReadOnlyCollection<(DateTime SentAt, string Node, StatusCode Code, string Detail)> failures) =>
        failures.Count == 0 ? "none" : string.Join(", ", failures.GroupBy(f => f.Code).Select(g => $"{g.Key} {g.Count()}"));

    public static string Cart(int entity) => $"cart-{entity}";

    /// <summary>The nodes clients send to from now on (a load balancer taking a node out or in).</summary>
    public void SendTo(params ClusterNode[] nodes) => Volatile.Write(ref targets, nodes);

    /// <summary>From now on commands go to these carts only (null: to any of the <see cref="Entities"/> again).</summary>
    public void Choose(IReadOnlyList<string>? carts) => Volatile.Write(ref chosen, carts);

    public ShoppingCart.ShoppingCartClient Client(ClusterNode node) => clients[node];

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(running);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var channel in channels)
            channel.Dispose();
        stop.Dispose();
    }

    private async Task RunAsync(int client)
    {
        var random = new Random(client);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var nodes = Volatile.Read(ref targets);
            var node = nodes[random.Next(nodes.Length)];
            var cart = Volatile.Read(ref chosen) is { Count: > 0 } carts ? carts[random.Next(carts.Count)] : Cart(random.Next(Entities));
            var product = $"c{client}-{n}";
            var sentAt = DateTime.UtcNow;
            try
            {
                await clients[node].AddItemAsync(
                    new AddLineItem { UserId = cart, ProductId = product, Name = product, Quantity = 1 },
                    deadline: DateTime.UtcNow.AddSeconds(20));
                Acknowledged[(cart, product)] = node.Name;
            }
            catch (RpcException e)
            {
                Failures.Enqueue((sentAt, node.Name, e.StatusCode, e.Status.Detail));
            }
        }
    }
}
