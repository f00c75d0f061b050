using Microsoft.Data.Sqlite;

namespace Cloudstate.Es.Journal.Sqlite;

/// <summary>A read-only connection with its prepared queries; WAL lets many of these read while the writer commits.</summary>
internal sealed class ReadSession : IDisposable
{
    private readonly SqliteConnection connection;

    public ReadSession(string connectionString)
    {
        connection = JournalSchema.Open(connectionString);
        Events = JournalSchema.Prepare(
            connection,
            """
            SELECT e.seq, e.type_url, e.data FROM events e
            WHERE e.stream = (SELECT id FROM streams WHERE name = $name) AND e.seq >= $from
            ORDER BY e.seq;
            """,
            ("$name", SqliteType.Text), ("$from", SqliteType.Integer));
        LastSequence = JournalSchema.Prepare(connection, "SELECT last_seq FROM streams WHERE name = $name;", ("$name", SqliteType.Text));
    }

    /// <summary>The events of stream <c>$name</c> from sequence number <c>$from</c> on, in order.</summary>
    public SqliteCommand Events { get; }

    /// <summary>The last sequence number of stream <c>$name</c>; no row for a stream never written.</summary>
    public SqliteCommand LastSequence { get; }

    public void Dispose()
    {
        Events.Dispose();
        LastSequence.Dispose();
        connection.Dispose();
    }
}
