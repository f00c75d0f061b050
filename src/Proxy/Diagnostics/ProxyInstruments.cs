using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cloudstate.Es.Proxy.Discovery;
using Cloudstate.Es.Proxy.Entities;
using Grpc.Core;

namespace Cloudstate.Es.Proxy.Diagnostics;

/// <summary>
/// Every instrument of the proxy, on one meter per component. Tags are few and bounded (service, method, status code,
/// outcome), never an entity key: each combination is a time series of its own.
/// </summary>
internal sealed class ProxyInstruments
{
    public const string FrontendMeter = "Cloudstate.Es.Proxy.Frontend";
    public const string EntitiesMeter = "Cloudstate.Es.Proxy.Entities";
    public const string JournalMeter = "Cloudstate.Es.Proxy.Journal";

    /// <summary>Every meter above, for an exporter to listen to.</summary>
    public static readonly string[] MeterNames = [FrontendMeter, EntitiesMeter, JournalMeter, Journal.Batching.JournalInstruments.MeterName];

    // From half a millisecond (a read served by an active instance) to the longest command timeout worth waiting for.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    private static readonly InstrumentAdvice<long> Counts = new()
    {
        HistogramBucketBoundaries = [0, 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000],
    };

    // gRPC's own names for the codes, as its other tools print them.
    private static readonly string[] CodeNames =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE",
        "DATA_LOSS", "UNAUTHENTICATED",
    ];

    private readonly Counter<long> commands;
    private readonly Histogram<double> commandDuration;
    private readonly Counter<long> activations;
    private readonly Histogram<double> activationDuration;
    private readonly Histogram<long> replayedEvents;
    private readonly Counter<long> passivations;
    private readonly UpDownCounter<long> openStreams;
    private readonly Counter<long> streamFailures;
    private readonly Counter<long> snapshotLoads;
    private readonly Counter<long> snapshotSaves;
    private readonly Histogram<double> snapshotDuration;
    private readonly Counter<long> appends;
    private readonly Histogram<double> appendDuration;
    private readonly Counter<long> eventsAppended;

    public ProxyInstruments(IMeterFactory meters, ActiveEntities active)
    {
        var frontend = meters.Create(FrontendMeter);
        commands = frontend.CreateCounter<long>("cloudstate.proxy.commands", "{command}", "Commands answered to clients, by service, method and gRPC status");
        commandDuration = frontend.CreateHistogram("cloudstate.proxy.command.duration", "s", "Time from a command's arrival to its answer, forwards and side effects included", advice: Seconds);

        var entities = meters.Create(EntitiesMeter);
        entities.CreateObservableGauge("cloudstate.proxy.entities.active", () => active.Count, "{instance}", "Entity instances active on this node");
        activations = entities.CreateCounter<long>("cloudstate.proxy.entity.activations", "{activation}", "Entity instances activated, by service and outcome");
        activationDuration = entities.CreateHistogram("cloudstate.proxy.entity.activation.duration", "s", "Time to open an instance's stream and replay its snapshot and events", advice: Seconds);
        replayedEvents = entities.CreateHistogram("cloudstate.proxy.entity.replayed_events", "{event}", "Events replayed into the user function per activation, after the snapshot", advice: Counts);
        passivations = entities.CreateCounter<long>("cloudstate.proxy.entity.passivations", "{passivation}", "Idle entity instances passivated, by service");
        openStreams = entities.CreateUpDownCounter<long>("cloudstate.proxy.user_function.streams", "{stream}", "Entity streams open to the user function");
        streamFailures = entities.CreateCounter<long>("cloudstate.proxy.user_function.stream_failures", "{failure}", "Entity streams to the user function lost, by service and reason: broken, timeout, protocol");
        snapshotLoads = entities.CreateCounter<long>("cloudstate.proxy.snapshot.loads", "{load}", "Snapshot loads at activation, by outcome: found, none, error");
        snapshotSaves = entities.CreateCounter<long>("cloudstate.proxy.snapshot.saves", "{save}", "Snapshot saves, by outcome: saved, error");
        snapshotDuration = entities.CreateHistogram("cloudstate.proxy.snapshot.duration", "s", "Time of one snapshot load or save, by operation", advice: Seconds);

        var journal = meters.Create(JournalMeter);
        appends = journal.CreateCounter<long>("cloudstate.proxy.journal.appends", "{append}", "Appends to the journal, by outcome: written, conflict, error");
        appendDuration = journal.CreateHistogram("cloudstate.proxy.journal.append.duration", "s", "Time from an append's call to the journal's decision, group commit included", advice: Seconds);
        eventsAppended = journal.CreateCounter<long>("cloudstate.proxy.journal.events", "{event}", "Events written to the journal");
    }

    /// <summary>A command of <paramref name="method"/> answered with <paramref name="code"/>, begun at <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void CommandAnswered(EntityMethod method, StatusCode code, long started)
    {
        var tags = new TagList { { "service", method.Service.Name }, { "method", method.Name }, { "status", CodeName(code) } };
        commands.Add(1, tags);
        commandDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }

    /// <summary>An instance of <paramref name="service"/> activated (or not), having replayed <paramref name="events"/> events.</summary>
    public void Activated(string service, bool succeeded, long started, long events)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", succeeded ? "activated" : "failed");
        var name = new KeyValuePair<string, object?>("service", service);
        activations.Add(1, name, outcome);
        activationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, name, outcome);
        if (succeeded)
            replayedEvents.Record(events, name);
    }

    public void Passivated(string service) => passivations.Add(1, new KeyValuePair<string, object?>("service", service));

    /// <summary>An entity stream to the user function opened (+1) or closed (-1).</summary>
    public void StreamOpened(int change) => openStreams.Add(change);

    /// <summary>An entity stream of <paramref name="service"/> lost: <c>broken</c>, <c>timeout</c> or <c>protocol</c>.</summary>
    public void StreamFailed(string service, string reason) =>
        streamFailures.Add(1, new KeyValuePair<string, object?>("service", service), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A snapshot load (<c>found</c>, <c>none</c>, <c>error</c>) begun at <paramref name="started"/>.</summary>
    public void SnapshotLoaded(string outcome, long started)
    {
        snapshotLoads.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        snapshotDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("operation", "load"));
    }

    /// <summary>A snapshot save (<c>saved</c>, <c>error</c>) begun at <paramref name="started"/>.</summary>
    public void SnapshotSaved(string outcome, long started)
    {
        snapshotSaves.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        snapshotDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("operation", "save"));
    }

    /// <summary>An append decided (written or conflict) or failed (<paramref name="outcome"/> "error"), begun at <paramref name="started"/>.</summary>
    public void Appended(string outcome, int events, long started)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        appends.Add(1, tag);
        appendDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
        if (outcome == "written" && events > 0)
            eventsAppended.Add(events);
    }

    private static string CodeName(StatusCode code) => (int)code is >= 0 and < 17 ? CodeNames[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
