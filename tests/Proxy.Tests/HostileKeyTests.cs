using System.Text;
using Cloudstate.Es.TestModel;
using Google.Protobuf;
using Grpc.Core;
using static Cloudstate.Es.Proxy.Tests.ModelRequests;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>Entity keys a hostile client may send: bytes that are not UTF-8, and keys over the length limit.</summary>
public sealed class HostileKeyTests : IAsyncLifetime
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(bytes => bytes, bytes => bytes);
    private static readonly Method<byte[], byte[]> Process = new(MethodType.Unary, "cloudstate.es.tests.model.Model", "Process", Raw, Raw);
    private readonly TemporaryDirectory data = new();
    private ScriptedUserFunction userFunction = null!;
    private ProxyServer proxy = null!;

    public async Task InitializeAsync()
    {
        userFunction = await ScriptedUserFunction.StartAsync();
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path, options => options.Frontend.MaxEntityKeyLength = 64);
    }

    public async Task DisposeAsync()
    {
        await proxy.DisposeAsync();
        await userFunction.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task A_key_that_is_not_UTF_8_is_INVALID_ARGUMENT_and_never_shares_the_entity_of_its_replacement_character_twin()
    {
        Assert.Equal("twin", await ProcessAsync(Of("a\uFFFD", Emit("twin")).ToByteArray()));
        byte[] invalid = [0x0A, 0x02, (byte)'a', 0xFF, .. Of("", Emit("hostile")).ToByteArray()];

        var error = await Assert.ThrowsAsync<RpcException>(() => ProcessAsync(invalid));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("not UTF-8", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("twin", await ProcessAsync(Of("a\uFFFD").ToByteArray()));
        Assert.Equal(1, userFunction.StreamsOpened("a\uFFFD"));
    }

    [Fact]
    public async Task A_key_over_the_length_limit_is_INVALID_ARGUMENT_and_one_at_the_limit_is_served()
    {
        var atLimit = new string('k', 62) + "é"; // 64 UTF-8 bytes
        var over = atLimit + "k";

        Assert.Equal("ok", await ProcessAsync(Of(atLimit, Emit("ok")).ToByteArray()));
        var error = await Assert.ThrowsAsync<RpcException>(() => ProcessAsync(Of(over, Emit("no")).ToByteArray()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("The entity key is 65 bytes long, over the limit of 64.", error.Status.Detail);
        Assert.Equal(0, userFunction.StreamsOpened(over));
        Assert.Equal(64, Encoding.UTF8.GetByteCount(atLimit));
    }

    private async Task<string> ProcessAsync(byte[] request)
    {
        var reply = await proxy.Channel.CreateCallInvoker().AsyncUnaryCall(Process, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(20)), request);
        return Response.Parser.ParseFrom(reply).Message;
    }
}
