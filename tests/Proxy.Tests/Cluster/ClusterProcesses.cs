namespace Cloudstate.Es.Proxy.Tests.Cluster;

/// <summary>
/// The tests that run several proxy nodes as processes take turns: side by side they would share two cores between a
/// dozen processes and PostgreSQL's hundred connections between their pools, and measure only the crowding.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterProcesses
{
    public const string Name = "cluster processes";
}
