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
}
