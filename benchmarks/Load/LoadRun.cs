using System.Diagnostics;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Grpc.Core;

namespace Cloudstate.Es.Load;

/// <summary>
/// Concurrent clients, each with one AddItem in flight, for a number of seconds or until a number of commands has
/// been sent; a progress line every second, the proxy's CPU and memory when its process id is given, and the
/// latency figures at the end.
/// </summary>
internal sealed class LoadRun(LoadOptions options)
{
    private static readonly TimeSpan WarmUpDeadline = TimeSpan.FromSeconds(30);
    private long completed;
    private long errors;
    private long issued;

    public async Task RunAsync()
    {
        using var command = new CartCommand(options.Target, options.Protocol, options.Clients);
        await WarmUpAsync(command);
        var sampler = options.ProxyPid is { } pid ? ProcessSampler.Start(pid) : null;
        var clock = Stopwatch.StartNew();
        using var progress = new ProgressLine(() => (Interlocked.Read(ref completed), Interlocked.Read(ref errors)), sampler);
        var latencies = await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(client => ClientAsync(command, client, clock)));
        var elapsed = clock.Elapsed;
        progress.Stop();
        var usage = sampler?.Finish();

        var figures = LoadFigures.From(options.Label, latencies, elapsed, usage);
        Console.WriteLine($"protocol={options.Protocol} clients={options.Clients} carts={options.Carts} seconds={elapsed.TotalSeconds:F1} commands={figures.Commands} errors={errors}");
        Console.WriteLine(figures.Summary());
        Console.WriteLine();
        foreach (var line in figures.ResultLines())
            Console.WriteLine(line);
    }

    /// <summary>The first command, retried until the target answers: the proxy may still be discovering its user function.</summary>
    private static async Task WarmUpAsync(CartCommand command)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await command.AddItemAsync(new AddLineItem { UserId = "warm-up", ProductId = "p", Name = "item", Quantity = 1 });
                return;
            }
            catch (Exception e) when (e is RpcException or HttpRequestException && deadline.Elapsed < WarmUpDeadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private async Task<List<double>> ClientAsync(CartCommand command, int client, Stopwatch clock)
    {
        var mine = new List<double>(100_000);
        var random = new Random(client);
        var duration = TimeSpan.FromSeconds(options.Seconds);
        while (options.Count is { } count ? Interlocked.Increment(ref issued) <= count : clock.Elapsed < duration)
        {
            var request = new AddLineItem { UserId = $"cart-{random.Next(options.Carts)}", ProductId = $"p{random.Next(20)}", Name = "item", Quantity = 1 };
            var started = Stopwatch.GetTimestamp();
            try
            {
                await command.AddItemAsync(request);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref completed);
            }
            catch (RpcException)
            {
                Interlocked.Increment(ref errors);
            }
        }

        return mine;
    }
}
