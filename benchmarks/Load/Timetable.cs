using System.Diagnostics;

namespace Cloudstate.Es.Load;

/// <summary>
/// The fixed send times of one client in a paced (open-loop) run. The run's commands are due evenly at the total rate,
/// dealt round the clients: command k of client c is the run's (k * clients + c)th. A client still waiting for a late
/// reply sends its next command late, and that command's latency counts from when it was due, so a stalled server
/// shows up in the latencies instead of merely lowering the rate (coordinated omission).
/// </summary>
internal sealed class Timetable(long origin, int rate, int clients, int client)
{
    /// <summary>When command <paramref name="k"/> of this client is due, from the start of the run.</summary>
    public TimeSpan Due(long k) => TimeSpan.FromSeconds((double)(k * clients + client) / rate);

    /// <summary>
    /// Waits until command <paramref name="k"/> is due and returns the timestamp its latency counts from: the due time
    /// when the client is behind (the server kept it), else the moment it woke, since the timer's own lateness is the
    /// load generator's and not the server's.
    /// </summary>
    public async ValueTask<long> WaitAsync(long k)
    {
        var due = origin + (long)(Due(k).TotalSeconds * Stopwatch.Frequency);
        var early = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
        if (early <= TimeSpan.Zero)
            return due;
        await Task.Delay(early);
        return Stopwatch.GetTimestamp();
    }
}
