using Cloudstate.Es.TestModel;
using Grpc.Core;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>The failure rules of the protocol, with a scripted user function that breaks them on request.</summary>
public sealed class FailureRuleTests : IAsyncLifetime
{
    private readonly TemporaryDirectory data = new();
    private ScriptedUserFunction userFunction = null!;
    private ProxyServer proxy = null!;

    private Model.ModelClient Client => new(proxy.Channel);

    public async Task InitializeAsync()
    {
        userFunction = await ScriptedUserFunction.StartAsync();
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path);
    }

    public async Task DisposeAsync()
    {
        await proxy.DisposeAsync();
        await userFunction.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task A_client_failure_is_UNKNOWN_with_its_description_and_persists_none_of_its_events()
    {
        Assert.Equal("a", await Process("client-1", Emit("a")));

        var error = await Rejected("client-1", Emit("b"), Fail("out of stock"));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal("out of stock", error.Status.Detail);
        Assert.Equal("a", await Process("client-1"));
        await Rejected("client-1", Fail("restart"));
        Assert.Equal("ac", await Process("client-1", Emit("c")));
        Assert.Equal(2, userFunction.StreamsOpened("client-1"));
    }

    [Fact]
    public async Task A_failure_with_restart_replays_the_journal_on_a_new_stream_whose_command_ids_start_from_1()
    {
        await Process("restart-1", Emit("a"));
        await Process("restart-1", Emit("b"));

        var error = await Rejected("restart-1", Fail("restart"));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal("restart requested", error.Status.Detail);
        Assert.Equal("abc", await Process("restart-1", Emit("c")));
        Assert.Equal("1,2,3 | 1", userFunction.Streams("restart-1"));
    }

    [Fact]
    public async Task A_stream_failure_fails_the_command_and_the_next_command_reactivates_the_entity_from_the_journal()
    {
        await Process("stream-1", Emit("a"));

        var error = await Rejected("stream-1", Emit("b"), Fail("stream"));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal("stream failure requested", error.Status.Detail);
        Assert.Equal("ac", await Process("stream-1", Emit("c")));
        Assert.Equal("1,2 | 1", userFunction.Streams("stream-1"));
    }

    [Theory]
    [InlineData("wrong-id")] // a reply whose command id is not the one in flight
    [InlineData("close")] // the user function ends the stream without replying
    public async Task A_broken_stream_is_UNAVAILABLE_persists_nothing_and_the_next_command_reactivates_the_entity(string breakage)
    {
        var id = breakage + "-1";
        await Process(id, Emit("a"));

        var error = await Rejected(id, Emit("b"), Fail(breakage));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail), "UNAVAILABLE without a message");
        Assert.Equal("ac", await Process(id, Emit("c")));
        Assert.Equal("1,2 | 1", userFunction.Streams(id));
    }

    [Fact]
    public async Task Commands_queued_behind_a_broken_stream_fail_UNAVAILABLE_or_run_once_on_a_new_stream()
    {
        await Process("queue-1", Emit("a"));
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        userFunction.OnCommand = async (entity, command) =>
        {
            if (command.Payload.Unpack<Request>().Actions.Any(a => a.Fail?.Message == "stream"))
            {
                arrived.TrySetResult();
                await release.Task;
            }
        };

        var broken = Process("queue-1", Fail("stream"));
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(15));
        string[] values = ["b", "c", "d", "e", "f", "g", "h", "i"];
        var queued = values.Select(v => ModelRequests.Outcome(Process("queue-1", Emit(v)))).ToArray();
        release.SetResult();

        Assert.Equal(StatusCode.Unknown, (await Assert.ThrowsAsync<RpcException>(() => broken)).StatusCode);
        var outcomes = await Task.WhenAll(queued);
        var final = await Process("queue-1");
        var report = $"final state '{final}', streams {userFunction.Streams("queue-1")}, outcomes: " +
            string.Join("; ", values.Zip(outcomes, (v, o) => $"{v}: {o.Reply ?? $"{o.Error!.StatusCode} '{o.Error.Status.Detail}'"}"));
        Assert.All(outcomes, o => Assert.True(
            o.Error is null || (o.Error.StatusCode == StatusCode.Unavailable && !string.IsNullOrWhiteSpace(o.Error.Status.Detail)), report));
        var succeeded = values.Where((_, i) => outcomes[i].Error is null).ToArray();
        Assert.True(final.Length == 1 + succeeded.Length && final[0] == 'a', report);
        Assert.All(succeeded, v => Assert.True(final.Count(c => c.ToString() == v) == 1, report));
    }

    private static RequestAction Emit(string value) => new() { Emit = new Emit { Value = value } };

    private static RequestAction Fail(string message) => new() { Fail = new Fail { Message = message } };

    private async Task<string> Process(string id, params RequestAction[] actions)
    {
        var request = new Request { Id = id, Actions = { actions } };
        return (await Client.ProcessAsync(request, deadline: DateTime.UtcNow.AddSeconds(20))).Message;
    }

    private Task<RpcException> Rejected(string id, params RequestAction[] actions) => Assert.ThrowsAsync<RpcException>(() => Process(id, actions));
}
