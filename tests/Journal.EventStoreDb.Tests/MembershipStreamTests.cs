using Cloudstate.Es.Journal.Membership;
using Xunit;

namespace Cloudstate.Es.Journal.EventStoreDb.Tests;

/// <summary>
/// The cluster's members stream on a real EventStoreDB node: joins, heartbeats timed by the node's own stamps, expiry,
/// leaving. EventStoreDB's stamps cannot be moved back, so expiry is shown with a short time to live and real beats.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class MembershipStreamTests(NodeFixture fixture) : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);
    private readonly EventStoreDbNode node = fixture.Connect();

    public void Dispose() => node.Dispose();

    private static MemberEntry Member(string id, int port) => new(id, "10.0.0.1", port, ["shopping-cart", "counter"]);

    [Fact]
    public async Task Members_that_joined_see_each_other_with_their_addresses_and_kinds_in_member_id_order()
    {
        var table = await EventStoreDbMembershipTable.OpenAsync(node, CancellationToken.None);
        await table.JoinAsync(Member("node-b", 4001), CancellationToken.None);
        await table.JoinAsync(Member("node-a", 4000), CancellationToken.None);

        var view = await table.HeartbeatAsync("node-b", Long, CancellationToken.None);

        Assert.True(view.StillMember);
        Assert.Equal(["node-a", "node-b"], view.Members.Select(m => m.MemberId));
        Assert.Equal((4000, "10.0.0.1"), (view.Members[0].Port, view.Members[0].Host));
        Assert.Equal(["shopping-cart", "counter"], view.Members[0].Kinds);
    }

    [Fact]
    public async Task A_member_that_stops_beating_drops_out_and_at_its_next_beat_learns_it_is_no_longer_a_member()
    {
        var alive = await EventStoreDbMembershipTable.OpenAsync(node, CancellationToken.None);
        var paused = await EventStoreDbMembershipTable.OpenAsync(node, CancellationToken.None);
        await alive.JoinAsync(Member("alive", 4000), CancellationToken.None);
        await paused.JoinAsync(Member("paused", 4001), CancellationToken.None);
        Assert.Equal(["alive", "paused"], (await alive.HeartbeatAsync("alive", Short, CancellationToken.None)).Members.Select(m => m.MemberId));

        // Only "alive" beats, as a node does every second or so, until "paused" has gone past the time to live.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        MembershipView view;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "the paused member never dropped out of the view");
            view = await alive.HeartbeatAsync("alive", Short, CancellationToken.None);
            Assert.True(view.StillMember);
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
        while (view.Members.Any(m => m.MemberId == "paused"));
        var back = await paused.HeartbeatAsync("paused", Short, CancellationToken.None);
        var after = await alive.HeartbeatAsync("alive", Short, CancellationToken.None);

        Assert.Equal(["alive"], view.Members.Select(m => m.MemberId));
        Assert.False(back.StillMember);
        Assert.Equal(["alive"], back.Members.Select(m => m.MemberId));
        Assert.Equal(["alive"], after.Members.Select(m => m.MemberId));
    }

    [Fact]
    public async Task A_member_that_left_is_gone_for_the_others_and_may_join_again()
    {
        var table = await EventStoreDbMembershipTable.OpenAsync(node, CancellationToken.None);
        await table.JoinAsync(Member("staying", 4000), CancellationToken.None);
        await table.JoinAsync(Member("leaving", 4001), CancellationToken.None);

        await table.LeaveAsync("leaving", CancellationToken.None);
        await table.LeaveAsync("leaving", CancellationToken.None);
        var afterLeave = await table.HeartbeatAsync("staying", Long, CancellationToken.None);
        var leftOne = await table.HeartbeatAsync("leaving", Long, CancellationToken.None);
        await table.JoinAsync(Member("leaving", 4002), CancellationToken.None);
        var afterRejoin = await table.HeartbeatAsync("leaving", Long, CancellationToken.None);

        Assert.Equal(["staying"], afterLeave.Members.Select(m => m.MemberId));
        Assert.False(leftOne.StillMember);
        Assert.True(afterRejoin.StillMember);
        Assert.Equal(4002, afterRejoin.Members.Single(m => m.MemberId == "leaving").Port);
    }

    [Fact]
    public async Task Nodes_opening_the_stream_at_once_all_join_it()
    {
        var tables = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => EventStoreDbMembershipTable.OpenAsync(node, CancellationToken.None)));
        await Task.WhenAll(tables.Select((table, n) => table.JoinAsync(Member($"node-{n}", 4000 + n), CancellationToken.None).AsTask()));

        var views = await Task.WhenAll(tables.Select((table, n) => table.HeartbeatAsync($"node-{n}", Long, CancellationToken.None).AsTask()));

        Assert.All(views, view => Assert.Equal(4, view.Members.Count));
    }
}
