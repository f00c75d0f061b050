namespace Cloudstate.Es.Journal.Sqlite;

/// <summary>Where the SQLite journal keeps its file and how it group-commits appends; validated as it is built.</summary>
public sealed class SqliteJournalOptions
{
    /// <summary>The longest <see cref="MaxBatchDelay"/> accepted: waiting longer only adds latency.</summary>
    public static readonly TimeSpan MaxBatchDelayLimit = TimeSpan.FromSeconds(1);

    /// <param name="path">The database file, e.g. <c>&lt;data dir&gt;/journal.db</c>; its folder is created if missing.</param>
    public SqliteJournalOptions(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

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
