using System.Diagnostics;
using Cloudstate.Es.Journal;
using Cloudstate.Es.Journal.Sqlite;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Cloudstate.Es.Samples.ShoppingCart.Domain;
using Google.Protobuf;
using Grpc.Net.Client;

// Usage:
//   load  --target 127.0.0.1:9000 [--clients 32] [--seconds 10] [--carts 1000] [--protocol grpc|json]
//         (json: POST /cart/{user}/items/add with a JSON body over HTTP/1.1, the same command as gRPC AddItem)
//   seed  --data DIR --cart USER --events N        (writes N ItemAdded events straight into the SQLite journal)
//   read  --target 127.0.0.1:9000 --cart USER      (times one GetCart: with a cold entity, that is the replay)
var verb = args.FirstOrDefault() ?? "load";
string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
int Int(string name, int fallback) => int.Parse(Arg(name, fallback.ToString()));

switch (verb)
{
    case "seed":
        await Seed(Arg("--data", "data"), Arg("--cart", "replay"), Int("--events", 100_000));
        break;
    case "read":
        await Read(Arg("--target", "127.0.0.1:9000"), Arg("--cart", "replay"));
        break;
    default:
        await Load(Arg("--target", "127.0.0.1:9000"), Int("--clients", 32), Int("--seconds", 10), Int("--carts", 1000), Arg("--protocol", "grpc"));
        break;
}

static async Task Load(string target, int clients, int seconds, int carts, string protocol)
{
    using var channel = GrpcChannel.ForAddress($"http://{target}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
    var cart = new ShoppingCart.ShoppingCartClient(channel);
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri($"http://{target}") };
    Func<AddLineItem, Task> addItem = protocol switch
    {
        "grpc" => async item => await cart.AddItemAsync(item),
        "json" => async item =>
        {
            var body = $$"""{"productId":"{{item.ProductId}}","name":"{{item.Name}}","quantity":{{item.Quantity}}}""";
            using var response = await http.PostAsync($"/cart/{item.UserId}/items/add", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            if (!response.IsSuccessStatusCode)
                throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unknown, $"HTTP {(int)response.StatusCode}"));
            await response.Content.ReadAsByteArrayAsync();
        },
        _ => throw new ArgumentException($"--protocol: '{protocol}' is neither grpc nor json"),
    };
    await addItem(new AddLineItem { UserId = "warm-up", ProductId = "p", Name = "item", Quantity = 1 });
    var latencies = new List<double>[clients];
    var errors = 0;
    var deadline = Stopwatch.StartNew();
    var duration = TimeSpan.FromSeconds(seconds);
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
    {
        var mine = latencies[client] = new List<double>(100_000);
        var random = new Random(client);
        while (deadline.Elapsed < duration)
        {
            var request = new AddLineItem { UserId = $"cart-{random.Next(carts)}", ProductId = $"p{random.Next(20)}", Name = "item", Quantity = 1 };
            var started = Stopwatch.GetTimestamp();
            try
            {
                await addItem(request);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Grpc.Core.RpcException)
            {
                Interlocked.Increment(ref errors);
            }
        }
    }));
    var elapsed = deadline.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
    Console.WriteLine($"protocol={protocol} clients={clients} carts={carts} seconds={elapsed:F1} commands={all.Length} errors={errors}");
    Console.WriteLine($"throughput={all.Length / elapsed:F0} commands/s  p50={P(0.50):F2} ms  p95={P(0.95):F2} ms  p99={P(0.99):F2} ms  max={all.LastOrDefault():F2} ms");
}

static async Task Seed(string data, string user, int events)
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
            new ItemAdded { Item = new Cloudstate.Es.Samples.ShoppingCart.Domain.LineItem { ProductId = $"p{i % 100}", Name = "item", Quantity = 1 } }.ToByteArray())).ToArray();
        var result = await journal.AppendAsync(stream, last, batch, CancellationToken.None);
        last = result.LastSequence;
    }

    Console.WriteLine($"seeded {events} events for cart {user} in {started.Elapsed.TotalSeconds:F2} s (journal at {last})");
}

static async Task Read(string target, string user)
{
    using var channel = GrpcChannel.ForAddress($"http://{target}");
    var cart = new ShoppingCart.ShoppingCartClient(channel);
    var started = Stopwatch.StartNew();
    var reply = await cart.GetCartAsync(new GetShoppingCart { UserId = user });
    var cold = started.Elapsed.TotalMilliseconds;
    started.Restart();
    await cart.GetCartAsync(new GetShoppingCart { UserId = user });
    Console.WriteLine($"cart {user}: {reply.Items.Count} lines, {reply.Items.Sum(i => i.Quantity)} items; first read (activation + replay) {cold:F0} ms, second read {started.Elapsed.TotalMilliseconds:F2} ms");
}
