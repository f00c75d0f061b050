using Cloudstate.Es.TestModel;
using Microsoft.Data.Sqlite;
using static Cloudstate.Es.Proxy.Tests.ModelRequests;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>
/// Snapshots are a shortcut, never a fault: one that cannot be read, that the user function cannot apply, or that is
/// ahead of the journal is ignored for a replay from the start, and a snapshot store that fails never fails a command.
/// </summary>
public sealed class SnapshotFaultTests : IAsyncLifetime
{
    private const string Id = "snap-1";
    private readonly TemporaryDirectory data = new();
    private ScriptedUserFunction userFunction = null!;
    private ProxyServer proxy = null!;

    private Model.ModelClient Client => new(proxy.Channel);

    private string SnapshotsDb => Path.Combine(data.Path, "snapshots.db");

    public async Task InitializeAsync()
    {
        userFunction = await ScriptedUserFunction.StartAsync();
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path);
        Assert.Equal("ab", await Process(Emit("a"), Emit("b"), Fail("snapshot")));
        Assert.Equal("abc", await Process(Emit("c")));
        await proxy.DisposeAsync();
        Assert.Equal(2L, await ScalarAsync("SELECT seq FROM snapshots"));
    }

    public async Task DisposeAsync()
    {
        await proxy.DisposeAsync();
        await userFunction.DisposeAsync();
        data.Dispose();
    }

    [Theory]
    // Bytes the user function cannot decode: its stream fails on the snapshot, and a second stream replays the journal.
    [InlineData("UPDATE snapshots SET data = x'ffffffff'", 3)]
    // A valid snapshot ("xxx") claiming sequence 100 of a 3-event journal: never sent, the journal is replayed.
    [InlineData("UPDATE snapshots SET seq = 100, data = x'0a03787878'", 2)]
    public async Task A_snapshot_the_user_function_cannot_apply_or_ahead_of_the_journal_is_ignored_and_the_instance_replays_the_journal(string damage, int streams)
    {
        await ScalarAsync(damage);
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path);

        Assert.Equal("abcd", await Process(Emit("d")));
        Assert.Equal(streams, userFunction.StreamsOpened(Id));
    }

    [Fact]
    public async Task A_snapshot_store_that_fails_fails_neither_a_command_that_offers_a_snapshot_nor_an_activation()
    {
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path, options => options.Entities.PassivationTimeout = TimeSpan.FromMilliseconds(300));
        Assert.Equal("abc", await Process());
        await ScalarAsync("DROP TABLE snapshots");

        Assert.Equal("abcd", await Process(Emit("d"), Fail("snapshot")));
        var state = await Eventually.PollAsync(
            async () => (State: await Process(), Streams: userFunction.StreamsOpened(Id)),
            r => r.Streams >= 3,
            "the entity to passivate and be activated again without its snapshot store",
            interval: TimeSpan.FromMilliseconds(400));

        Assert.Equal("abcd", state.State);
    }

    private async Task<string> Process(params RequestAction[] actions) =>
        (await Client.ProcessAsync(Of(Id, actions), deadline: DateTime.UtcNow.AddSeconds(20))).Message;

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={SnapshotsDb};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
