using System.Diagnostics;
using Cloudstate.Es.Journal;
using Cloudstate.Es.Journal.Sqlite;
using Cloudstate.Es.TestModel;
using Grpc.Core;
using static Cloudstate.Es.Proxy.Tests.ModelRequests;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>
/// A user function that hangs, sends frames that break the protocol or replies the proxy must refuse: each command gets
/// a clear status within the command timeout, nothing of it is stored, and the entity serves again on a new stream.
/// </summary>
public sealed class MisbehavingUserFunctionTests : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(2);
    private readonly TemporaryDirectory data = new();
    private ScriptedUserFunction userFunction = null!;
    private ProxyServer proxy = null!;
    private SqliteJournal journal = null!;

    private Model.ModelClient Client => new(proxy.Channel);

    public async Task InitializeAsync()
    {
        userFunction = await ScriptedUserFunction.StartAsync();
        proxy = await StartProxyAsync();
        journal = new SqliteJournal(new SqliteJournalOptions(Path.Combine(data.Path, "journal.db")));
    }

    public async Task DisposeAsync()
    {
        await journal.DisposeAsync();
        await proxy.DisposeAsync();
        await userFunction.DisposeAsync();
        data.Dispose();
    }

    private Task<ProxyServer> StartProxyAsync() => ProxyServer.StartAsync(userFunction.Address, data.Path, options => options.Entities.CommandTimeout = CommandTimeout);

    [Theory]
    [InlineData("hang", StatusCode.DeadlineExceeded, "did not answer command 2 within the command timeout")]
    [InlineData("huge-frame", StatusCode.Internal, "a message of 2147483648 bytes, over the limit")]
    [InlineData("garbage", StatusCode.Internal, "not a valid cloudstate.eventsourced.EventSourcedStreamOut")]
    [InlineData("compressed", StatusCode.Internal, "compressed message")]
    [InlineData("wrong-type", StatusCode.Internal, "carries a cloudstate.es.tests.model.Persisted, not a cloudstate.es.tests.model.Response")]
    [InlineData("no-action", StatusCode.Internal, "has no client action")]
    [InlineData("undeclared-forward", StatusCode.Internal, "a forward to cloudstate.es.tests.model.Model/Undeclared, which is not an entity method")]
    [InlineData("undeclared-effect", StatusCode.Internal, "a side effect to cloudstate.es.tests.model.Two/Undeclared, which is not an entity method")]
    public async Task A_misbehaving_reply_fails_its_command_within_the_timeout_stores_nothing_and_the_entity_serves_again(string fault, StatusCode expected, string message)
    {
        var id = $"{fault}-1";
        Assert.Equal("a", await Process(id, Emit("a")));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RpcException>(() => Process(id, Emit("b"), Fail(fault)));
        var took = clock.Elapsed;

        Assert.Equal(expected, error.StatusCode);
        Assert.Contains($"Entity {id} of cloudstate.es.tests.model.Model", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
        Assert.True(took < CommandTimeout + TimeSpan.FromSeconds(1.5), $"{fault} was answered after {took}");
        Assert.Equal(1, (await journal.ReadLastSequenceAsync(Stream(id), CancellationToken.None)).Value);
        Assert.Equal("ac", await Process(id, Emit("c")));
        Assert.Equal("1,2 | 1", userFunction.Streams(id));
        if (fault is "hang" or "huge-frame" or "garbage" or "compressed")
            await Eventually.PollAsync(() => Task.FromResult(userFunction.Resets(id)), n => n == 1, $"the proxy to reset the stream of {id}");
    }

    [Fact]
    public async Task Commands_queued_behind_a_hung_command_fail_UNAVAILABLE_when_it_times_out_and_the_next_starts_a_fresh_instance()
    {
        const string id = "queued-1";
        await Process(id, Emit("a"));
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        userFunction.OnCommand = (entity, command) =>
        {
            if (command.Payload.Unpack<Request>().Actions.Any(a => a.Fail?.Message == "hang"))
                arrived.TrySetResult();
            return Task.CompletedTask;
        };

        var clock = Stopwatch.StartNew();
        var hung = Outcome(Process(id, Fail("hang")));
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var queued = Enumerable.Range(0, 5).Select(i => Outcome(Process(id, Emit($"{i}")))).ToArray();
        var first = await hung;
        var rest = await Task.WhenAll(queued);
        var took = clock.Elapsed;

        Assert.Equal(StatusCode.DeadlineExceeded, first.Error?.StatusCode);
        Assert.All(rest, o => Assert.Equal(StatusCode.Unavailable, o.Error?.StatusCode));
        Assert.All(rest, o => Assert.Contains($"Entity {id}", o.Error!.Status.Detail, StringComparison.Ordinal));
        Assert.True(took < CommandTimeout + TimeSpan.FromSeconds(1.5), $"the hung command and the 5 behind it were answered after {took}");
        Assert.Equal("ab", await Process(id, Emit("b")));
        Assert.Equal("1,2 | 1", userFunction.Streams(id));
    }

    [Fact]
    public async Task A_user_function_that_stops_reading_a_replay_fails_the_command_within_the_timeout_and_the_entity_serves_again()
    {
        const string id = "replay-1";
        // 3 MB of events: more than the user function's HTTP/2 windows and the sockets' buffers take unread.
        var big = new string('x', 300_000);
        for (var i = 0; i < 10; i++)
            await Process(id, Emit(big));
        await proxy.DisposeAsync();
        proxy = await StartProxyAsync();
        var hold = true;
        userFunction.OnInit = (entity, cancelled) => entity == id && hold ? Task.Delay(Timeout.Infinite, cancelled) : Task.CompletedTask;

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RpcException>(() => Process(id, Emit("y")));
        var took = clock.Elapsed;
        hold = false;

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains($"Entity {id} of cloudstate.es.tests.model.Model stopped: the replay did not move", error.Status.Detail, StringComparison.Ordinal);
        Assert.True(took < CommandTimeout + TimeSpan.FromSeconds(1.5), $"the stuck replay was answered after {took}");
        Assert.Equal(10 * big.Length + 1, (await Process(id, Emit("z"))).Length);
        Assert.Equal(11, (await journal.ReadLastSequenceAsync(Stream(id), CancellationToken.None)).Value);
    }

    [Fact]
    public async Task A_command_whose_client_deadline_passes_while_it_waits_for_its_entity_never_reaches_the_user_function()
    {
        const string id = "deadline-1";
        await Process(id, Emit("a"));
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        userFunction.OnCommand = async (entity, command) =>
        {
            if (command.Payload.Unpack<Request>().Actions.Any(a => a.Emit?.Value == "slow"))
            {
                arrived.TrySetResult();
                await release.Task;
            }
        };

        var slow = Process(id, Emit("slow"));
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var late = await Assert.ThrowsAsync<RpcException>(() =>
            Client.ProcessAsync(Of(id, Emit("late")), deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);
        release.SetResult();

        Assert.Equal(StatusCode.DeadlineExceeded, late.StatusCode);
        Assert.Equal("aslow", await slow);
        Assert.Equal("aslowb", await Process(id, Emit("b")));
        Assert.Equal("1,2,3", userFunction.Streams(id));
    }

    private static StreamId Stream(string id) => StreamId.For(ScriptedUserFunction.PersistenceId, id);

    private async Task<string> Process(string id, params RequestAction[] actions) =>
        (await Client.ProcessAsync(Of(id, actions), deadline: DateTime.UtcNow.AddSeconds(20))).Message;
}
