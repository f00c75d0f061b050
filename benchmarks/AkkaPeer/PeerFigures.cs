using System.Globalization;

namespace Cloudstate.Es.Benchmarks.AkkaPeer;

/// <summary>The figures of one run and their machine-readable lines for the report generator.</summary>
public sealed record PeerFigures(string Journal, PersistFigures Persist, RecoveryFigures Recovery)
{
    /// <summary>One "RESULT akka.&lt;journal&gt;.&lt;figure&gt;=&lt;value&gt; &lt;unit&gt;" line per figure.</summary>
    public IEnumerable<string> ResultLines()
    {
        yield return Line("persist_rate", Persist.Rate.ToString("F1", CultureInfo.InvariantCulture), "commands/s");
        yield return Line("p50_ms", Persist.P50Ms.ToString("F2", CultureInfo.InvariantCulture), "ms");
        yield return Line("p99_ms", Persist.P99Ms.ToString("F2", CultureInfo.InvariantCulture), "ms");
        yield return Line("recovery_cold_rate", Recovery.ColdRate.ToString("F1", CultureInfo.InvariantCulture), "events/s");
        yield return Line("recovery_warm_rate", Recovery.WarmRate.ToString("F1", CultureInfo.InvariantCulture), "events/s");
    }

    private string Line(string figure, string value, string unit) => $"RESULT akka.{Journal}.{figure}={value} {unit}";
}
