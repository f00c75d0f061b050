using System.Diagnostics;
using Cloudstate.Es.Proxy.Entities;
using Cloudstate.Es.TestModel;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Cloudstate.Es.Proxy.Tests.ModelRequests;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>A node under hostile load stays within its bounds: active instances per node and commands waiting per instance.</summary>
public sealed class EntityBoundsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TemporaryDirectory data = new();
    private ScriptedUserFunction userFunction = null!;
    private ProxyServer? proxy;

    private Model.ModelClient Client => new(proxy!.Channel);

    public async Task InitializeAsync() => userFunction = await ScriptedUserFunction.StartAsync();

    public async Task DisposeAsync()
    {
        if (proxy is not null)
            await proxy.DisposeAsync();
        await userFunction.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task Past_the_active_limit_the_least_recently_used_idle_instances_passivate_and_the_node_stays_within_it()
    {
        const int limit = 5_000, keys = 20_000, clients = 32;
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path, options => options.Entities.MaxActiveEntities = limit);
        var active = proxy.Services.GetRequiredService<ActiveEntities>();
        var mostActive = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < keys; i = Interlocked.Increment(ref next))
            {
                Assert.Equal("", await Process($"lru-{i}"));
                var now = active.Count;
                if (now > Volatile.Read(ref mostActive))
                    Interlocked.Exchange(ref mostActive, now);
            }
        }));

        output.WriteLine($"{keys} activations in {clock.Elapsed.TotalSeconds:0.0} s; at most {mostActive} instances active and {userFunction.MostOpenStreams} streams open at once (limit {limit}); managed heap {GC.GetTotalMemory(forceFullCollection: true) / (1024 * 1024)} MiB");
        // Early passivations still under way may exceed the limit by at most one per concurrent activation.
        Assert.True(mostActive <= limit + clients, $"{mostActive} instances were active at once, over the limit of {limit}");
        // An instance leaves the count before its stream has closed at the user function, so each concurrent activation
        // may also have the stream of the instance it displaced still closing.
        Assert.True(userFunction.MostOpenStreams <= limit + 2 * clients, $"{userFunction.MostOpenStreams} entity streams were open at once, over the limit of {limit}");
        await Eventually.PollAsync(() => Task.FromResult(userFunction.OpenStreams), n => n <= limit, $"at most {limit} entity streams to stay open");
        Assert.Equal("", await Process($"lru-{keys - 1}"));
        Assert.Equal(1, userFunction.StreamsOpened($"lru-{keys - 1}"));
        Assert.Equal("", await Process("lru-0"));
        Assert.Equal(2, userFunction.StreamsOpened("lru-0"));
    }

    [Fact]
    public async Task When_every_active_instance_is_busy_a_new_activation_is_RESOURCE_EXHAUSTED_and_is_served_once_one_is_idle()
    {
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path, options => options.Entities.MaxActiveEntities = 3);
        var held = new CountdownEvent(3);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        userFunction.OnCommand = async (entity, command) =>
        {
            if (entity.StartsWith("busy-", StringComparison.Ordinal))
            {
                held.Signal();
                await release.Task;
            }
        };
        var busy = Enumerable.Range(0, 3).Select(i => Process($"busy-{i}", Emit("x"))).ToArray();
        await Eventually.PollAsync(() => Task.FromResult(held.CurrentCount), n => n == 0, "three entities to be busy in the user function");

        var clock = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<RpcException>(() => Process("fourth", Emit("y")));
        var took = clock.Elapsed;
        release.SetResult();
        await Task.WhenAll(busy);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("Entity fourth of cloudstate.es.tests.model.Model cannot be activated: this node has 3 active entity instances", refused.Status.Detail, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(2), $"the refusal took {took}");
        Assert.Equal("y", await Process("fourth", Emit("y")));
        Assert.Equal(1, userFunction.StreamsOpened("fourth"));
    }

    [Fact]
    public async Task Past_64_waiting_commands_an_entity_answers_RESOURCE_EXHAUSTED_at_once_and_serves_the_64_waiting()
    {
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path);
        const string id = "queue-1";
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        userFunction.OnCommand = async (entity, command) =>
        {
            if (command.Payload.Unpack<Request>().Actions.Any(a => a.Emit?.Value == "held"))
            {
                arrived.TrySetResult();
                await release.Task;
            }
        };
        var first = Process(id, Emit("held"));
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var calls = Enumerable.Range(0, 1_000).Select(i => Outcome(Process(id, Emit($"[{i}]")))).ToArray();
        var refused = await Eventually.PollAsync(
            () => Task.FromResult(calls.Count(c => c.IsCompleted && c.Result.Error?.StatusCode == StatusCode.ResourceExhausted)),
            n => n == 1_000 - 64,
            "936 of 1,000 commands to be refused while the entity is held");
        release.SetResult();
        var outcomes = await Task.WhenAll(calls);
        await first;

        var served = outcomes.Where(o => o.Error is null).ToArray();
        Assert.Equal(64, served.Length);
        Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.Equal(StatusCode.ResourceExhausted, o.Error!.StatusCode));
        Assert.Contains("Too many commands are waiting for this entity (the limit is 64)", outcomes.First(o => o.Error is not null).Error!.Status.Detail, StringComparison.Ordinal);
        var state = await Process(id);
        Assert.Equal(64, state.Count(c => c == '['));
        Assert.Equal(1_000 - 64, refused);
    }

    private async Task<string> Process(string id, params RequestAction[] actions) =>
        (await Client.ProcessAsync(Of(id, actions), deadline: DateTime.UtcNow.AddSeconds(60))).Message;
}
