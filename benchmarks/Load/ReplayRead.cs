using System.Diagnostics;
using System.Globalization;

namespace Cloudstate.Es.Load;

/// <summary>
/// Two reads of one instance: the first, on a cold entity, is its activation and replay; the second is warm. A seeded
/// instance counts its events (<see cref="EntityKinds.SeedEvent"/>), so what the first read answers is the events replayed.
/// </summary>
internal static class ReplayRead
{
    public static async Task RunAsync(EntityKind entity, string target, string id, string label)
    {
        using var command = new EntityCommand(entity, target, "grpc", 1);
        var started = Stopwatch.StartNew();
        var events = await command.ReadAsync(id);
        var cold = started.Elapsed;
        started.Restart();
        await command.ReadAsync(id);
        var warm = started.Elapsed;
        Console.WriteLine($"{entity.Name()} {id}: {events} events; first read (activation + replay) {cold.TotalMilliseconds:F0} ms, second read {warm.TotalMilliseconds:F2} ms");
        Console.WriteLine();
        Console.WriteLine(Line(label, "events_per_second", events / cold.TotalSeconds, "F1", "events/s"));
        Console.WriteLine(Line(label, "first_read_ms", cold.TotalMilliseconds, "F1", "ms"));
        Console.WriteLine(Line(label, "second_read_ms", warm.TotalMilliseconds, "F2", "ms"));
    }

    private static string Line(string label, string figure, double value, string format, string unit) =>
        $"RESULT replay.{label}.{figure}={value.ToString(format, CultureInfo.InvariantCulture)} {unit}";
}
