using Cloudstate.Es.Protocol;
using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Proxy.UserFunction;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Proxy.Discovery;

/// <summary>Asks the user function for its entities, retrying with backoff until it is up, and checks the answer.</summary>
internal sealed partial class UserFunctionDiscovery(UserFunctionChannel userFunction, UserFunctionOptions options, ILogger<UserFunctionDiscovery> logger)
{
    public static readonly string ProxyVersion = typeof(UserFunctionDiscovery).Assembly.GetName().Version?.ToString() ?? "0";

    /// <summary>The checked catalog; throws <see cref="EntitySpecException"/> when the spec is invalid (after reporting it to the user function).</summary>
    public async Task<EntityCatalog> DiscoverAsync(CancellationToken cancellationToken)
    {
        var spec = await FetchSpecAsync(cancellationToken).ConfigureAwait(false);
        var (catalog, problems) = EntitySpecReader.Read(spec);
        if (catalog is not null)
        {
            LogDiscovered(logger, spec.ServiceInfo?.SupportLibraryName ?? "?", spec.ServiceInfo?.SupportLibraryVersion ?? "?", string.Join(", ", catalog.Services.Select(s => s.Name)));
            return catalog;
        }

        var message = "The user function's entity spec is invalid:\n  - " + string.Join("\n  - ", problems);
        try
        {
            await userFunction.Discovery.reportErrorAsync(new UserFunctionError { Message = message }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            LogReportFailed(logger, e.Status.Detail);
        }

        throw new EntitySpecException(message);
    }

    private async Task<EntitySpec> FetchSpecAsync(CancellationToken cancellationToken)
    {
        var info = new ProxyInfo
        {
            ProtocolMajorVersion = 0,
            ProtocolMinorVersion = 2,
            ProxyName = "cloudstate-es",
            ProxyVersion = ProxyVersion,
            SupportedEntityTypes = { EntitySpecReader.SupportedEntityTypes },
        };
        var backoff = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await userFunction.Discovery.discoverAsync(info, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && !cancellationToken.IsCancellationRequested)
            {
                LogWaiting(logger, options.Address, attempt, backoff.TotalMilliseconds, e.Status.Detail);
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.DiscoveryMaxBackoff.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discovered {Library} {Version} serving {Services}")]
    private static partial void LogDiscovered(ILogger logger, string library, string version, string services);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for the user function at {Address} (attempt {Attempt}, next in {DelayMs} ms): {Reason}")]
    private static partial void LogWaiting(ILogger logger, Uri address, int attempt, double delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the spec error to the user function: {Reason}")]
    private static partial void LogReportFailed(ILogger logger, string reason);
}

/// <summary>The user function declared entities the proxy cannot serve; the message names each method at fault.</summary>
internal sealed class EntitySpecException(string message) : Exception(message);
