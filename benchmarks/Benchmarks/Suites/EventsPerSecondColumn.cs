using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// The Events parameter over the mean time of one operation: the figure the replay suites are about, which the
/// summary would otherwise leave to the reader's arithmetic.
/// </summary>
internal sealed class EventsPerSecondColumn : IColumn
{
    public const string Parameter = "Events";

    public string Id => nameof(EventsPerSecondColumn);

    public string ColumnName => "Events/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"{Parameter} over Mean: events replayed (or read) per second; with a snapshot, events' worth of state recovered per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return meanNanoseconds is > 0 && benchmarkCase.Parameters[Parameter] is int events
            ? (events / (meanNanoseconds.Value / 1e9)).ToString("N0", style.CultureInfo ?? CultureInfo.InvariantCulture)
            : "-";
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}

/// <summary>Adds <see cref="EventsPerSecondColumn"/> to a suite with an int parameter named Events.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class EventsPerSecondColumnAttribute() : ColumnConfigBaseAttribute(new EventsPerSecondColumn());
