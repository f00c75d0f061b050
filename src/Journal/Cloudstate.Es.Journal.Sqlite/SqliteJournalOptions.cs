using Cloudstate.Es.Journal.Batching;

namespace Cloudstate.Es.Journal.Sqlite;

/// <summary>Where the SQLite journal keeps its file and how it group-commits appends; validated as it is built.</summary>
public sealed class SqliteJournalOptions : GroupCommitOptions
{
    /// <param name="path">The database file, e.g. <c>&lt;data dir&gt;/journal.db</c>; its folder is created if missing.</param>
    public SqliteJournalOptions(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>
    /// How often the write-ahead log is copied into the database file, beside the writer. Default 100 ms: each copy is
    /// then a few milliseconds of writing and one sync, which commits running beside it hardly notice.
    /// </summary>
    public TimeSpan CheckpointInterval
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The log's length, in pages, past which a checkpoint also restarts it (briefly holding the writer back). Default
    /// 16,384: 64 MiB of 4 KiB pages.
    /// </summary>
    public int RestartCheckpointPages
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 16_384;
}
