namespace Cloudstate.Es.Journal.Batching;

/// <summary>How a backend's <see cref="GroupCommitWriter"/> gathers appends into transactions; validated as it is set.</summary>
public abstract class GroupCommitOptions
{
    /// <summary>The longest <see cref="MaxBatchDelay"/> accepted: waiting longer only adds latency.</summary>
    public static readonly TimeSpan MaxBatchDelayLimit = TimeSpan.FromSeconds(1);

    /// <summary>The most appends written in one transaction. Default 512.</summary>
    public int MaxBatchSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 512;

    /// <summary>
    /// How long the writer waits for more appends once a batch has begun and is not full. Default zero: take what is
    /// queued and write it, so a lone append never waits; batches still form while the previous one commits.
    /// </summary>
    public TimeSpan MaxBatchDelay
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxBatchDelayLimit);
            field = value;
        }
    } = TimeSpan.Zero;
}
