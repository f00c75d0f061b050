using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Cloudstate.Es.Journal.Sqlite;

/// <summary>The writer's prepared statements, prepared once and reused for every batch.</summary>
internal sealed class AppendCommands : IDisposable
{
    private readonly SqliteCommand findStream;
    private readonly SqliteCommand insertStream;
    private readonly SqliteCommand updateStream;
    private readonly SqliteCommand insertEvent;

    public AppendCommands(SqliteConnection connection)
    {
        findStream = JournalSchema.Prepare(connection, "SELECT id, last_seq FROM streams WHERE name = $name;", ("$name", SqliteType.Text));
        insertStream = JournalSchema.Prepare(connection, "INSERT INTO streams(name, last_seq) VALUES ($name, 0) RETURNING id;", ("$name", SqliteType.Text));
        updateStream = JournalSchema.Prepare(connection, "UPDATE streams SET last_seq = $last WHERE id = $id;", ("$last", SqliteType.Integer), ("$id", SqliteType.Integer));
        insertEvent = JournalSchema.Prepare(
            connection,
            "INSERT INTO events(stream, seq, type_url, data) VALUES ($stream, $seq, $type, $data);",
            ("$stream", SqliteType.Integer), ("$seq", SqliteType.Integer), ("$type", SqliteType.Text), ("$data", SqliteType.Blob));
    }

    /// <summary>Makes every command run inside <paramref name="transaction"/>, the batch's.</summary>
    public void Enlist(SqliteTransaction? transaction)
    {
        findStream.Transaction = transaction;
        insertStream.Transaction = transaction;
        updateStream.Transaction = transaction;
        insertEvent.Transaction = transaction;
    }

    /// <summary>The stream's interned id and last sequence number, or null when it has never been written.</summary>
    public (long Id, long Last)? FindStream(string name)
    {
        findStream.Parameters[0].Value = name;
        using var reader = findStream.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    public long InsertStream(string name)
    {
        insertStream.Parameters[0].Value = name;
        return (long)insertStream.ExecuteScalar()!;
    }

    public void UpdateStream(long id, long last)
    {
        updateStream.Parameters[0].Value = last;
        updateStream.Parameters[1].Value = id;
        updateStream.ExecuteNonQuery();
    }

    public void InsertEvent(long stream, long sequence, EventData data)
    {
        insertEvent.Parameters[0].Value = stream;
        insertEvent.Parameters[1].Value = sequence;
        insertEvent.Parameters[2].Value = data.TypeUrl;
        insertEvent.Parameters[3].Value = AsArray(data.Data);
        insertEvent.ExecuteNonQuery();
    }

    public void Dispose()
    {
        findStream.Dispose();
        insertStream.Dispose();
        updateStream.Dispose();
        insertEvent.Dispose();
    }

    // Microsoft.Data.Sqlite binds blobs from byte[] only: pass the caller's array when the memory is all of it.
    private static byte[] AsArray(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
}
