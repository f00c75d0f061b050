using System.Diagnostics;
using System.Globalization;

namespace Cloudstate.Es.Load;

/// <summary>
/// Two reads of one instance: the first, on a cold entity, is its activation and replay; the second is warm. A seeded
/// instance counts its events (<see cref="EntityKinds.SeedEvent"/>), so what the first read answers is the events replayed.
/// Then, when given, the same for a second instance of the same length: its replay runs on the paths the first one
/// has already compiled (tiered JIT), the steady-state rate. The connection is opened before the clock starts.
/// </summary>
internal static class ReplayRead
{
    public static async Task RunAsync(EntityKind entity, string target, string id, string? warmId, string label)
    {
        using var command = new EntityCommand(entity, target, "grpc", 1);
        await command.ConnectAsync();
        await ReadTwiceAsync(command, entity, id, $"{label}.cold");
        if (warmId is not null)
            await ReadTwiceAsync(command, entity, warmId, $"{label}.warm");
    }

    private static async Task ReadTwiceAsync(EntityCommand command, EntityKind entity, string id, string label)
    {
        var started = Stopwatch.StartNew();
        var events = await command.ReadAsync(id);
        var first = started.Elapsed;
        started.Restart();
        await command.ReadAsync(id);
        var second = started.Elapsed;
        Console.WriteLine($"{entity.Name()} {id}: {events} events; first read (activation + replay) {first.TotalMilliseconds:F0} ms, second read {second.TotalMilliseconds:F2} ms");
        Console.WriteLine(Line(label, "events_per_second", events / first.TotalSeconds, "F1", "events/s"));
        Console.WriteLine(Line(label, "first_read_ms", first.TotalMilliseconds, "F1", "ms"));
        Console.WriteLine(Line(label, "second_read_ms", second.TotalMilliseconds, "F2", "ms"));
    }

    private static string Line(string label, string figure, double value, string format, string unit) =>
        $"RESULT replay.{label}.{figure}={value.ToString(format, CultureInfo.InvariantCulture)} {unit}";
}
