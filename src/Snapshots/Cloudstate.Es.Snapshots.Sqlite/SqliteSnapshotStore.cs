using Cloudstate.Es.Journal;
using Microsoft.Data.Sqlite;

namespace Cloudstate.Es.Snapshots.Sqlite;

/// <summary>Keeps the latest snapshot of each stream in its own SQLite file, e.g. <c>&lt;data dir&gt;/snapshots.db</c>.</summary>
public sealed class SqliteSnapshotStore : ISnapshotStore, IAsyncDisposable
{
    // Only the newest snapshot per stream is kept; a save never replaces a newer one, whatever order saves arrive in.
    private const string Upsert = """
        INSERT INTO snapshots(stream, seq, type_url, data) VALUES ($stream, $seq, $type, $data)
        ON CONFLICT(stream) DO UPDATE SET seq = excluded.seq, type_url = excluded.type_url, data = excluded.data
        WHERE excluded.seq > snapshots.seq;
        """;

    private const string Select = "SELECT seq, type_url, data FROM snapshots WHERE stream = $stream;";

    private readonly string connectionString;
    private volatile bool disposed;

    /// <summary>Opens (creating if missing) the snapshot file at <paramref name="path"/>.</summary>
    public SqliteSnapshotStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        // Snapshots are few and replaceable (a lost one costs a longer replay), so pooled connections opened per call
        // are enough; WAL keeps loads from waiting on saves. synchronous stays at SQLite's default, FULL.
        connectionString = new SqliteConnectionStringBuilder { DataSource = fullPath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS snapshots(
                stream TEXT PRIMARY KEY,
                seq INTEGER NOT NULL,
                type_url TEXT NOT NULL,
                data BLOB NOT NULL);
            """;
        command.ExecuteNonQuery();
    }

    public async ValueTask<Snapshot?> LoadAsync(StreamId stream, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = Select;
        command.Parameters.AddWithValue("$stream", stream.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            return null;
        return new Snapshot(new SequenceNumber(reader.GetInt64(0)), reader.GetString(1), reader.GetFieldValue<byte[]>(2));
    }

    public async ValueTask SaveAsync(StreamId stream, Snapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        ArgumentNullException.ThrowIfNull(snapshot.TypeUrl, nameof(snapshot));
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = Upsert;
        command.Parameters.AddWithValue("$stream", stream.Value);
        command.Parameters.AddWithValue("$seq", snapshot.Sequence.Value);
        command.Parameters.AddWithValue("$type", snapshot.TypeUrl);
        command.Parameters.Add("$data", SqliteType.Blob).Value = snapshot.Data.ToArray();
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the pooled connections, releasing the file.</summary>
    public ValueTask DisposeAsync()
    {
        if (!disposed)
        {
            disposed = true;
            using var connection = new SqliteConnection(connectionString);
            SqliteConnection.ClearPool(connection);
        }

        return ValueTask.CompletedTask;
    }

    private SqliteConnection Open()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            // Two saves at once: the second waits in SQLite's busy handler, which retries within a millisecond or two,
            // where Microsoft.Data.Sqlite, given SQLITE_BUSY, would sleep 150 ms before trying again.
            using var wait = connection.CreateCommand();
            wait.CommandText = "PRAGMA busy_timeout=5000;";
            wait.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
