using System.CommandLine;
using System.Globalization;
using Cloudstate.Es.Tck.Model;

namespace Cloudstate.Es.Tck.Kit;

/// <summary>The kit's command line: run the cases against a user function (and a proxy), or serve the TCK model with our Sdk.</summary>
public static class TckCommandLine
{
    private static readonly Option<string> UserFunction = new("--user-function")
    {
        HelpName = "HOST:PORT",
        Description = "The user function serving the TCK model",
        Required = true,
    };

    private static readonly Option<string> Proxy = new("--proxy")
    {
        HelpName = "HOST:PORT",
        Description = "The proxy under test; without it only the model family runs",
    };

    private static readonly Option<int> InterceptorPort = new("--interceptor-port")
    {
        Description = "Port of the kit's interceptor (127.0.0.1) for the proxy family: start the proxy with it as its user function",
        DefaultValueFactory = _ => 8090,
    };

    private static readonly TimeSpan DiscoveryWait = TimeSpan.FromSeconds(60);

    private static readonly Option<string> Family = new Option<string>("--family")
    {
        Description = "Which cases run: model (checks a support library), proxy (checks a proxy) or all",
        DefaultValueFactory = _ => "all",
    }.AcceptOnlyFromAmong("model", "proxy", "all");

    private static readonly Option<double> Timeout = new("--timeout")
    {
        HelpName = "SECONDS",
        Description = "Time each case may take",
        DefaultValueFactory = _ => 10,
    };

    private static readonly Option<int> Port = new("--port")
    {
        Description = "Port the model user function listens on (127.0.0.1)",
        DefaultValueFactory = _ => 8080,
    };

    public static RootCommand Create()
    {
        var serve = new Command("model-user-function", "Serve the TCK model with our Sdk until Ctrl+C") { Port };
        serve.SetAction(ServeModelAsync);
        var root = new RootCommand("Cloudstate.Es TCK: conformance cases for Cloudstate 0.2 support libraries (model) and proxies (proxy).")
        {
            UserFunction, Proxy, InterceptorPort, Family, Timeout, serve,
        };
        root.SetAction(RunAsync);
        return root;
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var output = result.InvocationConfiguration.Output;
        var userFunction = result.GetValue(UserFunction)!;
        var proxy = result.GetValue(Proxy);
        var family = result.GetValue(Family)!;
        var timeout = result.GetValue(Timeout);
        var problem = AddressProblem("--user-function", userFunction)
            ?? (proxy is null ? null : AddressProblem("--proxy", proxy))
            ?? (timeout > 0 ? null : $"--timeout: {timeout.ToString(CultureInfo.InvariantCulture)} is not a positive number of seconds.")
            ?? (family == "proxy" && proxy is null ? "--family proxy needs --proxy HOST:PORT." : null)
            ?? (family == "all" || TckCases.Families.Contains(family) ? null : $"--family: this build has no {family} family (families: {string.Join(", ", TckCases.Families)}).");
        if (problem is not null)
        {
            await result.InvocationConfiguration.Error.WriteLineAsync($"cloudstate-es tck: {problem}");
            return 2;
        }

        IReadOnlyList<string> families = family != "all" ? [family]
            : proxy is null ? [ModelCases.ModelTck.Family]
            : TckCases.Families;
        if (family == "all" && proxy is null)
        {
            await output.WriteLineAsync("No --proxy given: only the model family runs.");
        }

        await using var interceptor = families.Contains(ProxyCases.ProxyTck.Family)
            ? await StartInterceptorAsync(userFunction, proxy!, result.GetValue(InterceptorPort), output, cancellationToken)
            : null;
        var target = new TckTarget { UserFunction = userFunction, Proxy = proxy, Traffic = interceptor?.Traffic };
        var summary = await TckRunner.RunAsync(families.SelectMany(TckCases.For), target, TimeSpan.FromSeconds(timeout), output, cancellationToken);
        return summary.ExitCode;
    }

    /// <summary>
    /// Starts the interceptor in front of the user function and waits for the proxy to discover the user function
    /// through it, which the proxy does when it starts (ours retries until it answers, so either may start first).
    /// </summary>
    private static async Task<Interception.Interceptor> StartInterceptorAsync(string userFunction, string proxy, int port, TextWriter output, CancellationToken cancellationToken)
    {
        var interceptor = await Interception.Interceptor.StartAsync(userFunction, port);
        await output.WriteLineAsync($"Interceptor on {interceptor.Address} in front of {userFunction}: the proxy at {proxy} must take it as its user function (ours: --user-function {interceptor.Address}).");
        var deadline = DateTime.UtcNow + DiscoveryWait;
        while (!interceptor.Traffic.Discovery.OfType<Protocol.EntitySpec>().Any() && DateTime.UtcNow < deadline)
            await Task.Delay(100, cancellationToken);
        if (!interceptor.Traffic.Discovery.OfType<Protocol.EntitySpec>().Any())
        {
            await output.WriteLineAsync($"The proxy did not discover the user function through the interceptor within {DiscoveryWait.TotalSeconds:0} s: the proxy cases will fail.");
            return interceptor;
        }

        // Discovery comes before the proxy opens its port: wait for that too.
        var colon = proxy.LastIndexOf(':');
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(proxy[..colon], int.Parse(proxy[(colon + 1)..], CultureInfo.InvariantCulture), cancellationToken);
                break;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        return interceptor;
    }

    private static async Task<int> ServeModelAsync(ParseResult result, CancellationToken cancellationToken)
    {
        await using var userFunction = await TckModelUserFunction.StartAsync(result.GetValue(Port));
        await result.InvocationConfiguration.Output.WriteLineAsync($"TCK model user function (our Sdk) on {userFunction.Address}; Ctrl+C or SIGTERM stops it.");
        try
        {
            // The web host handles SIGTERM and Ctrl+C itself and stops: that is the end of the wait.
            await userFunction.WaitForShutdownAsync().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The command line was cancelled.
        }

        return 0;
    }

    private static string? AddressProblem(string option, string address)
    {
        var colon = address.LastIndexOf(':');
        return colon > 0 && int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? null
            : $"{option}: '{address}' is not HOST:PORT.";
    }
}
