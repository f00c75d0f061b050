using Cloudstate.Es.Proxy.Storage;

namespace Cloudstate.Es.Proxy.Hosting;

/// <summary>The journal and snapshot store: a StatefulStore file's, or the embedded SQLite in a data directory.</summary>
public sealed class StoreOptions
{
    private StoreSettings? settings;

    /// <summary>Where the embedded journal and snapshots live (<c>--data</c>). Default ./data.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The store, from a StatefulStore file (<c>--store</c>, see <see cref="StatefulStoreFile"/>). Default: the embedded
    /// SQLite in <see cref="DataDirectory"/>, following it when it changes.</summary>
    public StoreSettings Settings
    {
        get => settings ?? new SqliteStoreSettings("embedded", DataDirectory);
        set => settings = value;
    }

    /// <summary>Longest pause between attempts to open the store while it is not reachable. Default 5 s.</summary>
    public TimeSpan OpenMaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>True when every node of a cluster can open this store and see the others' events.</summary>
    public bool IsShared => Settings is PostgresStoreSettings or EventStoreDbStoreSettings;

    /// <summary>One line per setting that is wrong, naming its option.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
            yield return "--data: the directory is empty.";
        if (OpenMaxBackoff <= TimeSpan.Zero)
            yield return "The longest pause between attempts to open the store must be positive.";
    }
}
