using System.Globalization;
using Cloudstate.Es.Tck.Kit;
using Cloudstate.Es.Tck.Model;
using Cloudstate.Es.TestModel;

namespace Cloudstate.Es.Tck.Runs;

public sealed class CommandLineTests
{
    [Fact]
    public async Task The_command_line_checks_a_proxy_and_a_user_function_it_has_never_seen_and_prints_the_summary()
    {
        await using var userFunction = await TckModelUserFunction.StartAsync();
        var interceptorPort = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        var proxyPort = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        var data = Directory.CreateTempSubdirectory("cloudstate-es-tck-cli-").FullName;
        try
        {
            // The proxy starts first and keeps asking the interceptor's port for discovery until the kit opens it.
            await using var proxy = ChildProcess.StartProxy(["--user-function", $"127.0.0.1:{interceptorPort}", "--port", proxyPort, "--data", data]);
            using var output = new StringWriter();

            var exitCode = await TckCommandLine.Create()
                .Parse(["--user-function", userFunction.Address, "--proxy", $"127.0.0.1:{proxyPort}", "--interceptor-port", interceptorPort])
                .InvokeAsync(new() { Output = output, Error = output });

            var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
            Assert.True(exitCode == 0, output.ToString() + proxy.Output);
            Assert.StartsWith($"Interceptor on 127.0.0.1:{interceptorPort} in front of {userFunction.Address}", lines[0], StringComparison.Ordinal);
            Assert.Equal(TckCases.Model.Count, lines.Count(l => l.StartsWith("PASS model: ", StringComparison.Ordinal)));
            Assert.Equal(TckCases.Proxy.Count, lines.Count(l => l.StartsWith("PASS proxy: ", StringComparison.Ordinal)));
            Assert.Equal($"{TckCases.Model.Count + TckCases.Proxy.Count} passed, 0 failed", lines[^1]);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
