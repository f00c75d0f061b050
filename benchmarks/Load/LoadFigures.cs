using System.Globalization;

namespace Cloudstate.Es.Load;

/// <summary>
/// The figures of one load run and their machine-readable "RESULT load.&lt;label&gt;.&lt;figure&gt;" lines. The
/// throughput is the rate achieved (of the commands that succeeded; <see cref="Errors"/> counts those that failed); a
/// paced run also states the rate it aimed at.
/// </summary>
internal sealed record LoadFigures(string Label, int Commands, long Errors, double Throughput, int? TargetRate, double P50, double P95, double P99, double Max, ProcessUsage? Usage)
{
    public static LoadFigures From(string label, IEnumerable<List<double>> latencies, long errors, TimeSpan elapsed, int? targetRate, ProcessUsage? usage)
    {
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        return new LoadFigures(label, all.Length, errors, all.Length / elapsed.TotalSeconds, targetRate, P(0.50), P(0.95), P(0.99), all.Length == 0 ? double.NaN : all[^1], usage);
    }

    public string Summary()
    {
        var target = TargetRate is { } rate ? $" (target {rate}/s)" : "";
        var text = $"throughput={Throughput:F0} commands/s{target}  p50={P50:F2} ms  p95={P95:F2} ms  p99={P99:F2} ms  max={Max:F2} ms";
        return Usage is { } usage ? $"{text}  proxy: cpu={usage.CpuPercent:F0} % rss(peak)={usage.PeakRssMb:F0} MB" : text;
    }

    public IEnumerable<string> ResultLines()
    {
        yield return Line("throughput", Throughput, "F1", "commands/s");
        if (TargetRate is { } rate)
            yield return Line("target_rate", rate, "F1", "commands/s");
        yield return Line("p50_ms", P50, "F3", "ms");
        yield return Line("p95_ms", P95, "F3", "ms");
        yield return Line("p99_ms", P99, "F3", "ms");
        yield return Line("max_ms", Max, "F3", "ms");
        yield return Line("errors", Errors, "F0", "failed commands");
        if (Usage is { } usage)
        {
            yield return Line("cpu_percent", usage.CpuPercent, "F1", "% of one core");
            yield return Line("rss_mb", usage.PeakRssMb, "F1", "MB");
        }
    }

    private string Line(string figure, double value, string format, string unit) =>
        $"RESULT load.{Label}.{figure}={value.ToString(format, CultureInfo.InvariantCulture)} {unit}";
}
