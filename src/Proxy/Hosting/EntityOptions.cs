namespace Cloudstate.Es.Proxy.Hosting;

/// <summary>The entity instances of this node: how long a command may take, when an instance passivates, how many there
/// may be and how many commands may wait for one, and which offered snapshots are kept.</summary>
public sealed class EntityOptions
{
    /// <summary>How long one command may take end to end before the client gets DEADLINE_EXCEEDED. Default 60 s.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Idle time before an entity instance passivates, unless the entity sets its own. Default 30 s.</summary>
    public TimeSpan PassivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most entity instances active on this node; past it the least recently used idle ones passivate early, and
    /// a new activation is RESOURCE_EXHAUSTED only when none is idle. Default 10,000 (about 80 MB in the proxy at the
    /// measured 8 KB per instance, plus the user function's share).</summary>
    public int MaxActiveEntities { get; set; } = 10_000;

    /// <summary>Most commands waiting for one entity instance behind the one it handles; more get RESOURCE_EXHAUSTED. Default 64.</summary>
    public int MaxQueuedCommands { get; set; } = 64;

    /// <summary>Keep a snapshot the user function offers only after this many events since the last kept one; 0 keeps every
    /// one offered, -1 none. Default 0.</summary>
    public int SnapshotEvery { get; set; }

    /// <summary>One line per setting that is wrong, naming its option.</summary>
    public IEnumerable<string> Problems()
    {
        if (CommandTimeout <= TimeSpan.Zero)
            yield return "--command-timeout must be positive.";
        if (PassivationTimeout <= TimeSpan.Zero)
            yield return "--passivation-timeout must be positive.";
        if (MaxActiveEntities <= 0)
            yield return "--max-active-entities must be positive.";
        if (MaxQueuedCommands < 0)
            yield return "--max-queued-commands must be 0 or more.";
        if (SnapshotEvery < -1)
            yield return "--snapshot-every must be -1 (never), 0 (every offered) or a count of events.";
    }
}
