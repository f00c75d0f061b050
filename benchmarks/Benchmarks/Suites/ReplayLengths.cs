namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// The stream lengths the replay suites run: 1k, 100k and 1M events, or only 1k in a smoke run. A 1M replay takes
/// seconds, and its journal seconds more to seed, which a smoke run that should finish in seconds cannot afford.
/// </summary>
internal static class ReplayLengths
{
    /// <summary>1 asks for the smoke run's lengths in any run; read from the environment, which benchmark processes inherit.</summary>
    public const string QuickVariable = "CLOUDSTATE_BENCH_QUICK";

    // bench --quick runs the suites in its own process, so its flag on this process's command line tells a smoke run
    // even where the variable is not set.
    public static IEnumerable<int> ForThisRun() =>
        Environment.GetEnvironmentVariable(QuickVariable) == "1" || Environment.GetCommandLineArgs().Contains(BenchCommand.Quick)
            ? [1_000]
            : [1_000, 100_000, 1_000_000];
}
