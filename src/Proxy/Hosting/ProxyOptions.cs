using Cloudstate.Es.Proxy.Cluster;
using Cloudstate.Es.Proxy.Storage;

namespace Cloudstate.Es.Proxy.Hosting;

/// <summary>Everything the proxy is told at start-up, one part per component; see <see cref="ProxyCommandLine"/> for the
/// flags and environment names.</summary>
public sealed class ProxyOptions
{
    /// <summary>Where the user function listens; see <see cref="UserFunctionOptions"/>.</summary>
    public UserFunctionOptions UserFunction { get; set; } = new();

    /// <summary>The front end's port and its limits on clients; see <see cref="FrontendOptions"/>.</summary>
    public FrontendOptions Frontend { get; set; } = new();

    /// <summary>The admin port's address (metrics, health); see <see cref="AdminOptions"/>.</summary>
    public AdminOptions Admin { get; set; } = new();

    /// <summary>Timeouts and bounds of the entity instances; see <see cref="EntityOptions"/>.</summary>
    public EntityOptions Entities { get; set; } = new();

    /// <summary>The journal and snapshot store; see <see cref="StoreOptions"/>.</summary>
    public StoreOptions Store { get; set; } = new();

    /// <summary>How this node finds the other proxy nodes of its stateful service; see <see cref="ClusterOptions"/>.</summary>
    public ClusterOptions Cluster { get; set; } = new();

    /// <summary>How logs are written: text lines (default) or one JSON object per line.</summary>
    public LogFormat LogFormat { get; set; } = LogFormat.Text;

    /// <summary>Throws when a setting is out of range or does not fit the others; the message has one line per mistake, each naming its option.</summary>
    public void Validate()
    {
        var problems = Problems().ToList();
        if (problems.Count > 0)
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>One line per setting that is out of range or does not fit the others.</summary>
    public IEnumerable<string> Problems()
    {
        var parts = UserFunction.Problems().Concat(Frontend.Problems()).Concat(Admin.Problems()).Concat(Entities.Problems()).Concat(Store.Problems()).Concat(Cluster.Problems());
        return parts.Concat(Together());
    }

    private IEnumerable<string> Together()
    {
        if (Cluster.IsMultiNode && !Store.IsShared)
        {
            // Each node would keep its own journal: two owners of one entity would never see each other's events.
            var store = Store.Settings;
            yield return $"--cluster {Cluster.Membership.ToString().ToLowerInvariant()} needs a store that every node shares (PostgreSQL or EventStoreDB); "
                + $"the store '{store.Name}' is {(store is SqliteStoreSettings ? "the embedded SQLite, private to this node" : "in memory, private to this process")}.";
        }

        if (Admin.Port != 0 && Admin.Port == Frontend.Port)
            yield return $"--admin-port: {Admin.Port} is the front end's port too (--port); give each its own.";
    }
}
