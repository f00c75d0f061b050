using Cloudstate.Es.TestModel;

namespace Cloudstate.Es.Sdk.Tests;

/// <summary>A client outside .NET, built from the protocol published with npm `cloudstate`, drives the shopping cart.</summary>
public sealed class JavaScriptClientTests(UserFunctionServer server) : IClassFixture<UserFunctionServer>
{
    [Fact]
    public async Task A_javascript_protocol_client_discovers_the_cart_and_drives_its_entity_stream()
    {
        var folder = ChildProcess.JavaScriptPeers();

        var (exitCode, output) = await ChildProcess.RunAsync("node", ["protocol-client.js", server.Channel.Target], folder, TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, output);
        Assert.Contains("ok - GetCart sums the quantities of both AddItem commands", output, StringComparison.Ordinal);
        Assert.Contains("ok - a negative quantity returns a failure with the message and no events", output, StringComparison.Ordinal);
    }
}
