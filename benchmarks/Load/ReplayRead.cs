using System.Diagnostics;
using System.Globalization;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Grpc.Net.Client;

namespace Cloudstate.Es.Load;

/// <summary>
/// Two GetCart calls of one cart: the first, on a cold entity, is its activation and replay; the second is warm.
/// A seeded cart holds one item per event (<see cref="JournalSeed"/>), so its item count is the events replayed.
/// </summary>
internal static class ReplayRead
{
    public static async Task RunAsync(string target, string user, string label)
    {
        using var channel = GrpcChannel.ForAddress($"http://{target}");
        var cart = new ShoppingCart.ShoppingCartClient(channel);
        var started = Stopwatch.StartNew();
        var reply = await cart.GetCartAsync(new GetShoppingCart { UserId = user });
        var cold = started.Elapsed;
        started.Restart();
        await cart.GetCartAsync(new GetShoppingCart { UserId = user });
        var warm = started.Elapsed;
        var events = reply.Items.Sum(i => i.Quantity);
        Console.WriteLine($"cart {user}: {reply.Items.Count} lines, {events} items; first read (activation + replay) {cold.TotalMilliseconds:F0} ms, second read {warm.TotalMilliseconds:F2} ms");
        Console.WriteLine();
        Console.WriteLine(Line(label, "events_per_second", events / cold.TotalSeconds, "F1", "events/s"));
        Console.WriteLine(Line(label, "first_read_ms", cold.TotalMilliseconds, "F1", "ms"));
        Console.WriteLine(Line(label, "second_read_ms", warm.TotalMilliseconds, "F2", "ms"));
    }

    private static string Line(string label, string figure, double value, string format, string unit) =>
        $"RESULT replay.{label}.{figure}={value.ToString(format, CultureInfo.InvariantCulture)} {unit}";
}
