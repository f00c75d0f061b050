using Cloudstate.Es.Journal.Membership;
using Cloudstate.Es.Postgres.Testing;
using Npgsql;

namespace Cloudstate.Es.Journal.Postgres.Tests;

/// <summary>The cluster's members table on PostgreSQL: joins, heartbeats on the server's clock, eviction, leaving.</summary>
public sealed class MembershipTableTests : IAsyncLifetime
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(30);
    private readonly NpgsqlDataSource dataSource = TestDatabase.CreateDataSource();
    private readonly string schema = $"members_{Guid.NewGuid():N}"[..20];

    public Task InitializeAsync() => TestDatabase.DropSchemaAsync(dataSource, schema);

    public async Task DisposeAsync()
    {
        await TestDatabase.DropSchemaAsync(dataSource, schema);
        await dataSource.DisposeAsync();
    }

    private static MemberEntry Member(string id, int port) => new(id, "10.0.0.1", port, ["shopping-cart", "counter"]);

    /// <summary>The table, with <paramref name="members"/> joined in order (ports 4000, 4001, ...).</summary>
    private async Task<PostgresMembershipTable> OpenWithAsync(params string[] members)
    {
        var table = await PostgresMembershipTable.OpenAsync(dataSource, schema, CancellationToken.None);
        for (var n = 0; n < members.Length; n++)
            await table.JoinAsync(Member(members[n], 4000 + n), CancellationToken.None);
        return table;
    }

    /// <summary>Moves heartbeats back by <paramref name="by"/> on the server (one member's, or every one): a pause as the server's clock measures it.</summary>
    private async Task AgeAsync(TimeSpan by, string? member = null)
    {
        await using var age = dataSource.CreateCommand(
            $"UPDATE {schema}.cloudstate_members SET heartbeat = heartbeat - $1 * interval '1 second'" + (member is null ? "" : " WHERE member_id = $2"));
        age.Parameters.AddWithValue(by.TotalSeconds);
        if (member is not null)
            age.Parameters.AddWithValue(member);
        await age.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Members_that_joined_see_each_other_with_their_addresses_and_kinds_in_member_id_order()
    {
        var table = await PostgresMembershipTable.OpenAsync(dataSource, schema, CancellationToken.None);
        await table.JoinAsync(Member("node-b", 4001), CancellationToken.None);
        await table.JoinAsync(Member("node-a", 4000), CancellationToken.None);

        var view = await table.HeartbeatAsync("node-b", TimeToLive, CancellationToken.None);

        Assert.True(view.StillMember);
        Assert.Equal(["node-a", "node-b"], view.Members.Select(m => m.MemberId));
        Assert.Equal(4000, view.Members[0].Port);
        Assert.Equal("10.0.0.1", view.Members[0].Host);
        Assert.Equal(["shopping-cart", "counter"], view.Members[0].Kinds);
    }

    [Fact]
    public async Task A_member_whose_heartbeat_expired_is_evicted_by_the_next_beat_and_learns_it_at_its_own()
    {
        var table = await OpenWithAsync("alive", "paused");
        await AgeAsync(TimeSpan.FromHours(1), "paused");

        var alive = await table.HeartbeatAsync("alive", TimeToLive, CancellationToken.None);
        var paused = await table.HeartbeatAsync("paused", TimeToLive, CancellationToken.None);

        Assert.Equal(["alive"], alive.Members.Select(m => m.MemberId));
        Assert.True(alive.StillMember);
        Assert.False(paused.StillMember);
        Assert.Equal(["alive"], paused.Members.Select(m => m.MemberId));
    }

    [Fact]
    public async Task A_member_evicts_its_own_expired_row_and_is_told_it_is_no_longer_a_member()
    {
        var table = await OpenWithAsync("paused");
        await AgeAsync(TimeSpan.FromHours(1));

        var view = await table.HeartbeatAsync("paused", TimeToLive, CancellationToken.None);

        Assert.False(view.StillMember);
        Assert.Empty(view.Members);
    }

    [Fact]
    public async Task A_fresh_heartbeat_keeps_a_member_that_would_otherwise_expire()
    {
        var table = await OpenWithAsync("beating", "other");
        await AgeAsync(TimeSpan.FromSeconds(20));

        await table.HeartbeatAsync("beating", TimeToLive, CancellationToken.None);
        await AgeAsync(TimeSpan.FromSeconds(20), "other");
        var view = await table.HeartbeatAsync("other", TimeToLive, CancellationToken.None);

        Assert.False(view.StillMember);
        Assert.Equal(["beating"], view.Members.Select(m => m.MemberId));
    }

    [Fact]
    public async Task A_member_that_left_is_gone_for_the_others_and_may_join_again()
    {
        var table = await OpenWithAsync("staying", "leaving");

        await table.LeaveAsync("leaving", CancellationToken.None);
        await table.LeaveAsync("leaving", CancellationToken.None);
        var afterLeave = await table.HeartbeatAsync("staying", TimeToLive, CancellationToken.None);
        await table.JoinAsync(Member("leaving", 4002), CancellationToken.None);
        var afterRejoin = await table.HeartbeatAsync("leaving", TimeToLive, CancellationToken.None);

        Assert.Equal(["staying"], afterLeave.Members.Select(m => m.MemberId));
        Assert.True(afterRejoin.StillMember);
        Assert.Equal(4002, afterRejoin.Members.Single(m => m.MemberId == "leaving").Port);
    }

    [Fact]
    public async Task Nodes_opening_the_table_at_once_all_open_it()
    {
        var tables = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresMembershipTable.OpenAsync(dataSource, schema, CancellationToken.None)));
        await Task.WhenAll(tables.Select((table, n) => table.JoinAsync(Member($"node-{n}", 4000 + n), CancellationToken.None).AsTask()));

        var view = await tables[0].HeartbeatAsync("node-0", TimeToLive, CancellationToken.None);

        Assert.Equal(4, view.Members.Count);
    }

    [Fact]
    public async Task A_schema_name_that_is_not_one_is_refused_before_any_statement()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => PostgresMembershipTable.OpenAsync(dataSource, "Bad-Schema; DROP", CancellationToken.None));

        Assert.Contains("is not a schema name", refused.Message, StringComparison.Ordinal);
    }
}
