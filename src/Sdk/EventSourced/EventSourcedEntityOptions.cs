namespace Cloudstate.Es.Sdk.EventSourced;

/// <summary>How one event-sourced entity is registered with the proxy.</summary>
public sealed class EventSourcedEntityOptions
{
    /// <summary>Namespaces the entity's events in the journal. Defaults to the service's simple name; set it explicitly so
    /// the journal does not depend on a rename.</summary>
    public string? PersistenceId { get; set; }

    /// <summary>Take a snapshot whenever the sequence number crosses a multiple of this; 0 or less never snapshots. Default 100.</summary>
    public int SnapshotEvery { get; set; } = 100;

    /// <summary>Idle time after which the proxy passivates an instance; null leaves it to the proxy's default.</summary>
    public TimeSpan? PassivationTimeout { get; set; }
}
