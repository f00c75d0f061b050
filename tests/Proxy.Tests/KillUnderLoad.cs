using System.Collections.Concurrent;
using Cloudstate.Es.TestModel;
using Grpc.Core;
using static Cloudstate.Es.Proxy.Tests.ModelRequests;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>
/// SIGKILL of a proxy process mid-load: 16 clients emit <c>&lt;cCnN&gt;</c> values to the model entities
/// <c>entity-0..7</c> (client C writes to entity C % 8) until 400 are acknowledged, then the proxy is killed.
/// </summary>
internal static class KillUnderLoad
{
    public const int Entities = 8;

    /// <summary>The acknowledged values, and the failures seen before the kill (there should be none).</summary>
    public static async Task<(IReadOnlyCollection<string> Acknowledged, IReadOnlyCollection<string> FailuresBeforeKill)> RunAsync(Model.ModelClient model, ChildProcess proxy, TimeSpan timeout)
    {
        var acknowledged = new ConcurrentBag<string>();
        var failuresBeforeKill = new ConcurrentBag<string>();
        var killed = false;
        var clients = Enumerable.Range(0, 16).Select(client => Task.Run(async () =>
        {
            for (var n = 0; !Volatile.Read(ref killed); n++)
            {
                var value = $"<c{client}n{n}>";
                try
                {
                    await model.ProcessAsync(Of($"entity-{client % Entities}", Emit(value)));
                    acknowledged.Add(value);
                }
                catch (RpcException e)
                {
                    if (!Volatile.Read(ref killed))
                        failuresBeforeKill.Add($"{value}: {e.Status}");
                    return;
                }
            }
        })).ToArray();

        await Eventually.PollAsync(() => Task.FromResult(acknowledged.Count), count => count >= 400 || !failuresBeforeKill.IsEmpty, "400 acknowledged commands", timeout);
        Volatile.Write(ref killed, true);
        await proxy.KillAsync();
        await Task.WhenAll(clients);
        return (acknowledged, failuresBeforeKill);
    }

    /// <summary>The client that emitted <paramref name="value"/>.</summary>
    public static int Client(string value) => int.Parse(value.AsSpan(2, value.IndexOf('n', StringComparison.Ordinal) - 2), System.Globalization.CultureInfo.InvariantCulture);
}
