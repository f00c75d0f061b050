using System.Globalization;

namespace Cloudstate.Es.Benchmarks.AkkaPeer;

/// <summary>What one run of the peer measures and against which journal; the defaults are those of issue 7.</summary>
public sealed class PeerOptions
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=cloudstate;Password=cloudstate;Database=cloudstate";

    /// <summary>"sqlite" or "postgres".</summary>
    public string Journal { get; init; } = "sqlite";

    /// <summary>Concurrent clients of the persist-rate run, each with one ask in flight. Default 32.</summary>
    public int Clients { get; init; } = 32;

    /// <summary>Counters the clients pick from at random. Default 1,000.</summary>
    public int Counters { get; init; } = 1_000;

    /// <summary>Length of the timed persist-rate window, after the warm-up. Default 10 s.</summary>
    public int Seconds { get; init; } = 10;

    /// <summary>The same load, unmeasured, before the timed window (after one command to each counter), as our load's
    /// warm-up: the JIT is still compiling the hot paths for the first seconds. Default 8 s.</summary>
    public int Warmup { get; init; } = 8;

    /// <summary>Names the run's figures ("RESULT akka.&lt;label&gt;.*"); default the journal, e.g. "sqlite.r2" for a repeat.</summary>
    public string? Label { get; init; }

    /// <summary>Events of the one counter whose recovery is timed. Default 100,000.</summary>
    public int RecoveryEvents { get; init; } = 100_000;

    /// <summary>Events per PersistAll when seeding the recovery counter. Default 1,000 (the plugin's round-trip batch size).</summary>
    public int FillChunk { get; init; } = 1_000;

    /// <summary>The journal's write queues; null takes <see cref="JournalStore.DefaultParallelism"/> of the backend.</summary>
    public int? Parallelism { get; init; }

    /// <summary>The journal's write batch size; null keeps the plugin's default (100).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Connection string of the PostgreSQL journal (used with --journal postgres).</summary>
    public string Postgres { get; init; } = DefaultPostgres;

    public const string Usage = """
        usage: akka --journal sqlite|postgres [--clients 32] [--counters 1000] [--seconds 10] [--warmup 8]
                    [--recovery-events 100000] [--postgres CONNECTION] [--parallelism N] [--batch-size N]
                    [--fill-chunk 1000] [--label NAME] [--quick]
          --quick   2 s of load after 1 s of warm-up and 10,000 recovery events (a CI smoke); explicit options still win
        """;

    /// <summary>Reads the options after the verb; throws <see cref="ArgumentException"/> on anything it does not know.</summary>
    public static PeerOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var quick = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--quick")
            {
                quick = true;
                continue;
            }
            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                throw new ArgumentException($"'{name}' is not an option with a value");
            values[name] = args[++i];
        }

        var defaults = quick ? new PeerOptions { Seconds = 2, Warmup = 1, RecoveryEvents = 10_000 } : new PeerOptions();
        int Int(string name, int fallback) => values.Remove(name, out var text) ? ParseInt(name, text) : fallback;
        int? OptionalInt(string name) => values.Remove(name, out var text) ? ParseInt(name, text) : null;
        string Text(string name, string fallback) => values.Remove(name, out var text) ? text : fallback;

        var options = new PeerOptions
        {
            Journal = Text("--journal", defaults.Journal),
            Clients = Int("--clients", defaults.Clients),
            Counters = Int("--counters", defaults.Counters),
            Seconds = Int("--seconds", defaults.Seconds),
            Warmup = Int("--warmup", defaults.Warmup),
            RecoveryEvents = Int("--recovery-events", defaults.RecoveryEvents),
            FillChunk = Int("--fill-chunk", defaults.FillChunk),
            Parallelism = OptionalInt("--parallelism"),
            BatchSize = OptionalInt("--batch-size"),
            Postgres = Text("--postgres", defaults.Postgres),
            Label = values.Remove("--label", out var label) ? label : null,
        };
        if (values.Count > 0)
            throw new ArgumentException($"unknown option(s): {string.Join(", ", values.Keys)}");
        options.Validate();
        return options;
    }

    private void Validate()
    {
        if (Journal is not ("sqlite" or "postgres"))
            throw new ArgumentException($"--journal: '{Journal}' is neither sqlite nor postgres");
        foreach (var (name, value) in new[]
        {
            ("--clients", Clients), ("--counters", Counters), ("--seconds", Seconds),
            ("--recovery-events", RecoveryEvents), ("--fill-chunk", FillChunk),
            ("--parallelism", Parallelism ?? 1), ("--batch-size", BatchSize ?? 1),
        })
        {
            if (value <= 0)
                throw new ArgumentException($"{name} must be positive, not {value}");
        }

        if (Warmup < 0)
            throw new ArgumentException($"--warmup must not be negative, not {Warmup}");
    }

    private static int ParseInt(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name}: '{text}' is not a whole number");
}
