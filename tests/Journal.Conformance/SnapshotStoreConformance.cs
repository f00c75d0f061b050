using System.Text;
using Cloudstate.Es.Snapshots;
using Xunit;

namespace Cloudstate.Es.Journal.Conformance;

/// <summary>What every snapshot store backend must do; a backend's tests inherit it in one line with a factory for a fresh store.</summary>
public abstract class SnapshotStoreConformance(Func<Task<ISnapshotStore>> createStore) : IAsyncLifetime
{
    private const string TypeUrl = "type.googleapis.com/cloudstate.es.test.State";

    /// <summary>A fresh, empty store for each test; disposed after it if it is disposable.</summary>
    protected ISnapshotStore Store { get; private set; } = null!;

    /// <summary>For backends whose store opens synchronously.</summary>
    protected SnapshotStoreConformance(Func<ISnapshotStore> createStore)
        : this(() => Task.FromResult(createStore()))
    {
    }

    public async Task InitializeAsync() => Store = await createStore();

    public async Task DisposeAsync()
    {
        if (Store is IAsyncDisposable asyncDisposable)
            await asyncDisposable.DisposeAsync();
        else if (Store is IDisposable disposable)
            disposable.Dispose();
    }

    /// <summary>A snapshot at <paramref name="sequence"/> whose state is the text <paramref name="state"/>.</summary>
    protected static Snapshot At(long sequence, string state) => new(new SequenceNumber(sequence), TypeUrl, Encoding.UTF8.GetBytes(state));

    /// <summary>The state text of a loaded snapshot, with its sequence number; null when there is none.</summary>
    protected async Task<(long Sequence, string State)?> LoadStateAsync(StreamId stream) =>
        await Store.LoadAsync(stream, CancellationToken.None) is { } snapshot
            ? (snapshot.Sequence.Value, Encoding.UTF8.GetString(snapshot.Data.Span))
            : null;

    [Fact]
    public async Task Saved_snapshot_loads_back_with_its_type_and_data()
    {
        var stream = new StreamId("entity|saved");
        await Store.SaveAsync(stream, At(7, "seven"), CancellationToken.None);

        var loaded = await Store.LoadAsync(stream, CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal((7L, TypeUrl, "seven"), (loaded.Value.Sequence.Value, loaded.Value.TypeUrl, Encoding.UTF8.GetString(loaded.Value.Data.Span)));
    }

    [Fact]
    public async Task Stream_without_snapshot_loads_nothing()
    {
        Assert.Null(await Store.LoadAsync(new StreamId("entity|none"), CancellationToken.None));
    }

    [Fact]
    public async Task Latest_save_wins()
    {
        var stream = new StreamId("entity|latest");
        await Store.SaveAsync(stream, At(5, "five"), CancellationToken.None);
        await Store.SaveAsync(stream, At(10, "ten"), CancellationToken.None);

        Assert.Equal((10L, "ten"), await LoadStateAsync(stream));
    }

    [Fact]
    public async Task Older_save_does_not_replace_a_newer_one()
    {
        var stream = new StreamId("entity|older");
        await Store.SaveAsync(stream, At(10, "ten"), CancellationToken.None);
        await Store.SaveAsync(stream, At(4, "four"), CancellationToken.None);

        Assert.Equal((10L, "ten"), await LoadStateAsync(stream));
    }

    [Fact]
    public async Task Streams_are_kept_distinct()
    {
        StreamId[] streams = [new("a|b"), new("a|B"), new("a|b|"), new("ünï|流")];
        for (var i = 0; i < streams.Length; i++)
            await Store.SaveAsync(streams[i], At(i + 1, $"state{i}"), CancellationToken.None);

        for (var i = 0; i < streams.Length; i++)
            Assert.Equal((i + 1L, $"state{i}"), await LoadStateAsync(streams[i]));
    }
}
