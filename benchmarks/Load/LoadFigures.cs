using System.Globalization;

namespace Cloudstate.Es.Load;

/// <summary>
/// The figures of one load run and their machine-readable "RESULT load.&lt;label&gt;.&lt;figure&gt;" lines. The
/// throughput is the rate achieved (of the commands that succeeded; <see cref="Errors"/> counts those that failed); a
/// paced run also states the rate it aimed at. CPU is given as a percent of one core and in microseconds per command,
/// for the proxy (when measured), the user function (when measured) and the load itself.
/// </summary>
internal sealed record LoadFigures(string Label, int Commands, long Errors, double Throughput, int? TargetRate, double P50, double P95, double P99, double Max, LoadUsage Usage)
{
    public static LoadFigures From(string label, IEnumerable<List<double>> latencies, long errors, TimeSpan elapsed, int? targetRate, LoadUsage usage)
    {
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        return new LoadFigures(label, all.Length, errors, all.Length / elapsed.TotalSeconds, targetRate, P(0.50), P(0.95), P(0.99), all.Length == 0 ? double.NaN : all[^1], usage);
    }

    public string Summary()
    {
        var target = TargetRate is { } rate ? $" (target {rate}/s)" : "";
        var text = $"throughput={Throughput:F0} commands/s{target}  p50={P50:F2} ms  p95={P95:F2} ms  p99={P99:F2} ms  max={Max:F2} ms";
        return Usage.Proxy is { } proxy ? $"{text}  proxy: cpu={proxy.CpuPercent:F0} % rss(peak)={proxy.PeakRssMb:F0} MB" : text;
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
        if (Usage.Proxy is { } proxy)
        {
            yield return Line("cpu_percent", proxy.CpuPercent, "F1", "% of one core");
            yield return Line("cpu_us_per_command", PerCommand(proxy.CpuPercent), "F1", "µs");
            yield return Line("rss_mb", proxy.PeakRssMb, "F1", "MB");
        }

        if (Usage.UserFunctionCpuPercent is { } userFunction)
        {
            yield return Line("user_function_cpu_percent", userFunction, "F1", "% of one core");
            yield return Line("user_function_cpu_us_per_command", PerCommand(userFunction), "F1", "µs");
        }

        yield return Line("load_cpu_percent", Usage.LoadCpuPercent, "F1", "% of one core");
        yield return Line("load_cpu_us_per_command", PerCommand(Usage.LoadCpuPercent), "F1", "µs");
    }

    /// <summary>A CPU percent of one core over the run as microseconds of CPU per command answered.</summary>
    private double PerCommand(double cpuPercent) => Throughput > 0 ? cpuPercent / 100 * 1e6 / Throughput : double.NaN;

    private string Line(string figure, double value, string format, string unit) =>
        $"RESULT load.{Label}.{figure}={value.ToString(format, CultureInfo.InvariantCulture)} {unit}";
}

/// <summary>What the processes of a load run used: the proxy's CPU and memory, the user function's and the load's own CPU.</summary>
internal sealed record LoadUsage(ProcessUsage? Proxy, double? UserFunctionCpuPercent, double LoadCpuPercent);
