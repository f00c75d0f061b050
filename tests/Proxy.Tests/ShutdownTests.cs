using Cloudstate.Es.TestModel;
using static Cloudstate.Es.Proxy.Tests.ModelRequests;

namespace Cloudstate.Es.Proxy.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_proxy_lets_the_command_in_flight_finish_and_persist()
    {
        using var data = new TemporaryDirectory();
        await using var userFunction = await ScriptedUserFunction.StartAsync();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        userFunction.OnCommand = async (_, _) =>
        {
            arrived.TrySetResult();
            await release.Task;
        };
        var proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path);

        var inFlight = new Model.ModelClient(proxy.Channel).ProcessAsync(Of("drain", Emit("a"))).ResponseAsync;
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var stopping = proxy.StopAsync();
        release.SetResult();

        Assert.Equal("a", (await inFlight.WaitAsync(TimeSpan.FromSeconds(15))).Message);
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        await proxy.DisposeAsync();
        userFunction.OnCommand = null;
        await using var restarted = await ProxyServer.StartAsync(userFunction.Address, data.Path);
        Assert.Equal("a", (await new Model.ModelClient(restarted.Channel).ProcessAsync(Of("drain"))).Message);
    }
}
