using System.Diagnostics;
using System.Globalization;

namespace Cloudstate.Es.Load;

/// <summary>Average CPU (percent of one core, like top) and peak resident memory of a process over a run.</summary>
internal sealed record ProcessUsage(double CpuPercent, double PeakRssMb);

/// <summary>
/// Reads /proc/PID/stat (utime + stime) at the start and the end of a run, and /proc/PID/status (VmRSS) once a
/// second in between for the peak. Linux only.
/// </summary>
internal sealed class ProcessSampler
{
    // USER_HZ, the unit of utime and stime: 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;
    private readonly int pid;
    private readonly long startTicks;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long peakRssKb;

    private ProcessSampler(int pid)
    {
        this.pid = pid;
        startTicks = CpuTicks();
        Sample();
    }

    public static ProcessSampler Start(int pid) => new(pid);

    /// <summary>The current CPU percent since the start, and records the resident memory for the peak.</summary>
    public (double CpuPercent, double RssMb) Sample()
    {
        var rss = RssKb(pid);
        peakRssKb = Math.Max(peakRssKb, rss);
        return (CpuPercent(), rss / 1024.0);
    }

    public ProcessUsage Finish()
    {
        Sample();
        return new ProcessUsage(CpuPercent(), peakRssKb / 1024.0);
    }

    private double CpuPercent() => (CpuTicks() - startTicks) / TicksPerSecond / Math.Max(1e-3, clock.Elapsed.TotalSeconds) * 100;

    private long CpuTicks()
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may hold spaces) start at field 3: utime is field 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>The resident memory of process <paramref name="pid"/> now, in KiB (VmRSS of /proc/PID/status).</summary>
    public static long RssKb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
