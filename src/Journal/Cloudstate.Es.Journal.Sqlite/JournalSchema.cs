using Microsoft.Data.Sqlite;

namespace Cloudstate.Es.Journal.Sqlite;

/// <summary>The journal's tables and connection settings.</summary>
internal static class JournalSchema
{
    public const int Version = 1;

    // Stream ids are interned to integers so that the events table repeats 8 bytes per row, not the id text.
    // The events table is clustered on (stream, seq): a replay is one range scan, and no rowid index is kept.
    private const string CreateTables = """
        CREATE TABLE IF NOT EXISTS streams(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            last_seq INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS events(
            stream INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            type_url TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY(stream, seq)) WITHOUT ROWID;
        """;

    // WAL lets readers run beside the one writer. synchronous=FULL fsyncs the WAL at every commit, so an acknowledged
    // append survives power loss and OS crashes, not only a killed process (which NORMAL already survives). Group commit
    // is what makes this affordable: one fsync carries a whole batch of appends. The writer never checkpoints (the
    // WalCheckpointer does, on its own connection); a log that has grown is cut back to 64 MiB once it restarts.
    private const string WriterPragmas =
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;";

    public static string ConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Cache = SqliteCacheMode.Private,
        // The journal keeps its own connections (one writer, pooled readers with prepared commands).
        Pooling = false,
    }.ToString();

    /// <summary>
    /// Opens a connection that waits in SQLite's busy handler when another holds a lock it needs (the checkpointer's
    /// restart, the writer's transaction): that handler retries within a millisecond or two, where Microsoft.Data.Sqlite,
    /// given SQLITE_BUSY, sleeps 150 ms before it tries the statement again.
    /// </summary>
    public static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout=5000;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens the writer connection, creating the file and the tables if they are missing.</summary>
    public static SqliteConnection OpenWriter(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        var connection = Open(ConnectionString(fullPath, SqliteOpenMode.ReadWriteCreate));
        try
        {
            Execute(connection, WriterPragmas);
            using var transaction = connection.BeginTransaction();
            var version = Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
            if (version > Version)
                throw new InvalidOperationException($"The journal {fullPath} has schema version {version}; this build knows up to {Version}.");
            Execute(connection, CreateTables + $"PRAGMA user_version={Version};", transaction);
            transaction.Commit();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }

    /// <summary>A prepared, reusable command with its typed parameters declared.</summary>
    public static SqliteCommand Prepare(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
            command.Parameters.Add(name, type);
        command.Prepare();
        return command;
    }
}
