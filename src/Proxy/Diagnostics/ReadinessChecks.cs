using Cloudstate.Es.Journal;
using Cloudstate.Es.Proxy.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cloudstate.Es.Proxy.Diagnostics;

/// <summary>The checks behind <c>/ready</c> and the front end's <c>grpc.health.v1.Health</c>, one per stage of start-up.</summary>
internal static class ReadinessChecks
{
    public const string Tag = "ready";

    // A stream no entity can have: its ids are "<persistence id>|<key>" with a non-empty persistence id.
    private static readonly StreamId Probe = new("|cloudstate-es-readiness-probe");

    // A journal that does not answer a one-row read in this long is as good as unreachable for a client's command.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static IHealthChecksBuilder AddReadinessChecks(this IHealthChecksBuilder checks, ProxyReadiness readiness, UserFunctionOptions options)
    {
        var userFunction = $"{options.Host}:{options.Port}";
        return checks.AddCheck("user-function", new Check(_ => Task.FromResult(readiness.Discovered
            ? HealthCheckResult.Healthy($"discovered the user function at {userFunction}")
            : HealthCheckResult.Unhealthy($"waiting for the user function at {userFunction} to answer discovery"))), tags: [Tag])
        .AddCheck("journal", new Check(cancellationToken => JournalAsync(readiness.Journal, cancellationToken)), tags: [Tag])
        .AddCheck("cluster", new Check(_ => Task.FromResult(readiness.Member
            ? HealthCheckResult.Healthy("a member of the cluster, taking commands")
            : HealthCheckResult.Unhealthy("not a member of the cluster: joining, or leaving it"))), tags: [Tag]);
    }

    private static async Task<HealthCheckResult> JournalAsync(IJournalReader? journal, CancellationToken cancellationToken)
    {
        if (journal is null)
            return HealthCheckResult.Unhealthy("the store is not open yet");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await journal.ReadLastSequenceAsync(Probe, timeout.Token).AsTask().WaitAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy("the journal answers");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the journal did not answer within {ProbeTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"the journal cannot be read: {e.Message}");
        }
    }

    private sealed class Check(Func<CancellationToken, Task<HealthCheckResult>> run) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => run(cancellationToken);
    }
}
