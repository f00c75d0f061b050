using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cloudstate.Es.Journal.Batching;

/// <summary>The journals' own instruments: how the group commit batches, what each commit costs, the SQLite checkpoints.</summary>
public static class JournalInstruments
{
    /// <summary>The meter an exporter listens to for these.</summary>
    public const string MeterName = "Cloudstate.Es.Journal";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram(
        "cloudstate.journal.batch.size", "{append}", "Appends carried by one group commit, by journal",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram(
        "cloudstate.journal.commit.duration", "s", "Time one group commit takes to write and sync its batch, by journal and outcome",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    private static readonly Counter<long> Checkpoints = Meter.CreateCounter<long>(
        "cloudstate.journal.sqlite.checkpoints", "{checkpoint}", "Checkpoints of the SQLite write-ahead log beside the writer, by kind: passive, restart, failed");

    internal static void Committed(string journal, int appends, long started, bool succeeded)
    {
        var name = new KeyValuePair<string, object?>("journal", journal);
        if (succeeded)
            BatchSize.Record(appends, name);
        CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, name, new KeyValuePair<string, object?>("outcome", succeeded ? "committed" : "failed"));
    }

    /// <summary>A checkpoint of the SQLite log: <c>passive</c>, <c>restart</c> or <c>failed</c>.</summary>
    public static void Checkpointed(string kind) => Checkpoints.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
