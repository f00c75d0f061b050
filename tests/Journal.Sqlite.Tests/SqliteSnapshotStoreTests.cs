using System.Text;
using Cloudstate.Es.Snapshots;
using Cloudstate.Es.Snapshots.Sqlite;
using Xunit;

namespace Cloudstate.Es.Journal.Sqlite.Tests;

public sealed class SqliteSnapshotStoreTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task Saved_snapshot_survives_closing_and_reopening_the_file()
    {
        var stream = new StreamId("entity|durable");
        await using (var store = new SqliteSnapshotStore(directory.File("snapshots.db")))
            await store.SaveAsync(stream, new Snapshot(new SequenceNumber(42), "type/state", "state"u8.ToArray()), CancellationToken.None);

        await using var reopened = new SqliteSnapshotStore(directory.File("snapshots.db"));
        var loaded = await reopened.LoadAsync(stream, CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal((42L, "type/state", "state"), (loaded.Value.Sequence.Value, loaded.Value.TypeUrl, Encoding.UTF8.GetString(loaded.Value.Data.Span)));
    }
}
