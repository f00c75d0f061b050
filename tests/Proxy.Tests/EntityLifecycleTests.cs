using Cloudstate.Es.TestModel;
using Grpc.Core;
using static Cloudstate.Es.Proxy.Tests.ModelRequests;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>Entity instances across passivation, proxy restarts and user-function restarts.</summary>
public sealed class EntityLifecycleTests : IAsyncLifetime
{
    private readonly TemporaryDirectory data = new();
    private ModelUserFunction userFunction = null!;
    private ProxyServer proxy = null!;

    private Model.ModelClient Model => new(proxy.Channel);

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

    private async Task<string> Process(string id, params RequestAction[] actions) => (await Model.ProcessAsync(Of(id, actions))).Message;

    /// <summary>Reads the state every 150 ms (longer than the model's 100 ms passivation) until the entity has been reactivated.</summary>
    private Task<string> ReadAfterPassivationAsync(string id, string activation, string key) =>
        Eventually.PollAsync(
            async () => (State: await Process(id), Activations: userFunction.Log.Count(key, activation)),
            r => r.Activations >= 2 || (activation == "snapshot" && r.Activations >= 1),
            $"entity {id} to passivate and come back",
            interval: TimeSpan.FromMilliseconds(150)).ContinueWith(t => t.Result.State, TaskScheduler.Default);

    [Fact]
    public async Task A_passivated_entity_is_reactivated_by_replaying_its_events()
    {
        Assert.Equal("AB", await Process("p1", Emit("A"), Emit("B")));

        var state = await ReadAfterPassivationAsync("p1", "initial", "p1");

        Assert.Equal("AB", state);
        Assert.Equal("ABC", await Process("p1", Emit("C")));
    }

    [Fact]
    public async Task A_passivated_entity_with_a_snapshot_is_reactivated_from_the_snapshot_and_later_events()
    {
        await Process("p2", Emit("1"), Emit("2"), Emit("3"), Emit("4"), Emit("5"));
        await Process("p2", Emit("6"));

        var state = await ReadAfterPassivationAsync("p2", "snapshot", "12345");

        Assert.Equal("123456", state);
        Assert.Equal(1, userFunction.Log.Count("p2", "initial"));
    }

    [Fact]
    public async Task State_survives_a_proxy_restart()
    {
        await Process("r1", Emit("X"), Emit("Y"));

        await proxy.DisposeAsync();
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path);

        Assert.Equal("XYZ", await Process("r1", Emit("Z")));
    }

    [Fact]
    public async Task While_the_user_function_is_down_commands_fail_UNAVAILABLE_and_it_serves_again_when_back()
    {
        await Process("u1", Emit("A"));
        var port = int.Parse(userFunction.Address.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);

        await userFunction.DisposeAsync();
        var down = await Assert.ThrowsAsync<RpcException>(() => Model.ProcessAsync(Of("u1", Emit("lost"))).ResponseAsync);
        var fresh = await Assert.ThrowsAsync<RpcException>(() => Model.ProcessAsync(Of("u2")).ResponseAsync);
        userFunction = await ModelUserFunction.StartAsync(port);

        Assert.Equal(StatusCode.Unavailable, down.StatusCode);
        Assert.Equal(StatusCode.Unavailable, fresh.StatusCode);
        var back = await Eventually.PollAsync(TryProcess, r => r is not null, "the proxy to reach the restarted user function");
        Assert.Equal("A", back);
        Assert.Equal("AB", await Process("u1", Emit("B")));

        async Task<string?> TryProcess()
        {
            try
            {
                return await Process("u1");
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return null;
            }
        }
    }

    [Fact]
    public async Task A_forward_answers_with_the_reply_of_the_forwarded_command_after_persisting_the_events()
    {
        var reply = await Process("f1", Emit("A"), Forward("target"));

        Assert.Equal("two:target", reply);
        Assert.Equal("A", await Process("f1"));
    }

    [Fact]
    public async Task Synchronous_side_effects_run_before_the_reply_and_asynchronous_ones_soon_after()
    {
        var reply = await Process("s1", Emit("A"), Effect("sync-target", synchronous: true), Effect("async-target", synchronous: false));

        Assert.Equal("A", reply);
        Assert.Equal(1, userFunction.Log.Count("sync-target", "two"));
        await Eventually.PollAsync(() => Task.FromResult(userFunction.Log.Count("async-target", "two")), n => n == 1, "the asynchronous side effect");
    }

    [Fact]
    public async Task A_failed_command_runs_no_side_effect()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Model.ProcessAsync(Of("s2", Effect("never", synchronous: true), new RequestAction { Fail = new Fail { Message = "no" } })).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal(0, userFunction.Log.Count("never", "two"));
    }
}
