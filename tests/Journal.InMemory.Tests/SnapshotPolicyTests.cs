using Cloudstate.Es.Snapshots;
using Xunit;

namespace Cloudstate.Es.Journal.InMemory.Tests;

public sealed class SnapshotPolicyTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(10, 11)]
    [InlineData(10, 10)]
    public void Always_saves_every_snapshot_offered(long lastSaved, long offered) =>
        Assert.True(SnapshotPolicy.Always.ShouldSave(new SequenceNumber(lastSaved), new SequenceNumber(offered)));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 1_000_000)]
    public void Never_saves_a_snapshot(long lastSaved, long offered) =>
        Assert.False(SnapshotPolicy.Never.ShouldSave(new SequenceNumber(lastSaved), new SequenceNumber(offered)));

    [Theory]
    [InlineData(0, 99, false)]
    [InlineData(0, 100, true)]
    [InlineData(100, 150, false)]
    [InlineData(100, 200, true)]
    [InlineData(100, 260, true)]
    [InlineData(200, 100, false)]
    public void Every_100_events_saves_once_100_events_have_passed_since_the_last_saved(long lastSaved, long offered, bool saved) =>
        Assert.Equal(saved, SnapshotPolicy.EveryEvents(100).ShouldSave(new SequenceNumber(lastSaved), new SequenceNumber(offered)));

    [Fact]
    public void Every_events_refuses_a_count_below_one() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SnapshotPolicy.EveryEvents(0));
}
