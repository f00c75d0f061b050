using Cloudstate.Es.TestModel;
using static Cloudstate.Es.Proxy.Tests.ModelRequests;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>A forwarded command carries the forward's metadata, and the forwarded command's reply metadata is the client's.</summary>
public sealed class ForwardMetadataTests : IAsyncLifetime
{
    private readonly TemporaryDirectory data = new();
    private ModelUserFunction userFunction = null!;
    private ProxyServer proxy = null!;

    public async Task InitializeAsync()
    {
        userFunction = await ModelUserFunction.StartAsync();
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path);
    }

    public async Task DisposeAsync()
    {
        await proxy.DisposeAsync();
        await userFunction.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task A_forwarded_command_carries_the_forwards_metadata_and_its_reply_headers_reach_the_client()
    {
        using var call = new Model.ModelClient(proxy.Channel).ProcessAsync(Of("fm1", Forward("target")), new Grpc.Core.Metadata { { "x-echo-client", "c" } });
        var reply = await call.ResponseAsync;
        var headers = await call.ResponseHeadersAsync;

        Assert.Equal("two:target", reply.Message);
        Assert.Equal("target", headers.GetValue("x-echoed-forwarded"));
        Assert.Equal("x-echo-forwarded", headers.GetValue(MetadataEcho.Seen));
        Assert.Null(headers.GetValue("x-echoed-client"));
    }
}
