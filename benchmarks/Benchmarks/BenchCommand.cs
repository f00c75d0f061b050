using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Cloudstate.Es.Benchmarks.Suites;
using Perfolizer.Horology;

namespace Cloudstate.Es.Benchmarks;

/// <summary>
/// The <c>bench</c> verb: the BenchmarkDotNet suites, with BenchmarkDotNet's own arguments, or with <c>--quick</c>
/// every suite (or the <c>--filter</c>ed ones) as a smoke test that finishes in seconds.
/// </summary>
internal static class BenchCommand
{
    public const string Quick = "--quick";

    /// <summary>Runs the suites; 1 when a benchmark failed, so that a CI smoke run notices, and when PostgreSQL is
    /// unreachable: its cases are never silently left out.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains(Quick);
        var rest = args.Where(a => a != Quick).ToArray();
        var config = quick ? QuickConfig() : DefaultConfig.Instance;
        if (quick && !rest.Contains("--filter") && !rest.Contains("-f"))
            rest = [.. rest, "--filter", "*"];

        if (await BenchDatabase.UnreachableBecauseAsync() is { } reason)
        {
            Console.Error.WriteLine($"PostgreSQL is unreachable ({reason}): start it (scripts/postgres) or set {BenchDatabase.Variable} to another database.");
            return 1;
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchCommand).Assembly).Run(rest, config).ToList();
        var failed = summaries.Where(Failed).Select(s => s.Title).ToList();
        if (failed.Count > 0)
            Console.WriteLine($"Failed: {string.Join(", ", failed)}");
        return failed.Count > 0 ? 1 : 0;
    }

    private static bool Failed(Summary summary) =>
        summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) || summary.Reports.Length < summary.BenchmarksCases.Length;

    /// <summary>
    /// In process (nothing to build), one warmup and three iterations of about 100 ms: enough to see every benchmark
    /// run and allocate, not to measure. Debug builds are allowed, since only the smoke test runs them.
    /// </summary>
    private static IConfig QuickConfig() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(3)
            .WithIterationTime(TimeInterval.FromMilliseconds(100))
            .WithId("Quick"))
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);
}
