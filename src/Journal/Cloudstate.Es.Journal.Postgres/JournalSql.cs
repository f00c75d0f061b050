using Npgsql;
using NpgsqlTypes;

namespace Cloudstate.Es.Journal.Postgres;

/// <summary>The journal's SQL over Marten's event tables in one schema.</summary>
internal sealed class JournalSql(string schema)
{
    /// <summary>Creates the rows of streams an append starts, so that they can be locked with the rest.</summary>
    public string InsertNewStreams { get; } = $$"""
        INSERT INTO {{schema}}.mt_streams (id, version, timestamp, created)
        SELECT id, 0, now(), now() FROM unnest($1::varchar[]) AS s(id)
        ON CONFLICT (id) DO NOTHING
        """;

    /// <summary>Locks the batch's streams, in one order so that writers never deadlock, and reads where they stand.</summary>
    public string LockStreams { get; } = $"SELECT id, version FROM {schema}.mt_streams WHERE id = ANY($1::varchar[]) ORDER BY id FOR UPDATE";

    /// <summary>Writes a batch's events as Marten would: placeholder JSON, the payload in bdata, the next global sequence.</summary>
    public string InsertEvents { get; } = $$"""
        INSERT INTO {{schema}}.mt_events (seq_id, id, stream_id, version, data, bdata, type, timestamp, mt_dotnet_type, is_archived)
        SELECT nextval('{{schema}}.mt_events_sequence'), e.id, e.stream_id, e.version, '{}'::jsonb, e.bdata, $5, now(), $6, false
        FROM unnest($1::uuid[], $2::varchar[], $3::bigint[], $4::bytea[]) AS e(id, stream_id, version, bdata)
        """;

    /// <summary>Moves the batch's streams to their new last sequence numbers.</summary>
    public string UpdateStreams { get; } = $$"""
        UPDATE {{schema}}.mt_streams AS s SET version = u.version, timestamp = now()
        FROM unnest($1::varchar[], $2::bigint[]) AS u(id, version) WHERE s.id = u.id
        """;

    public string ReadEvents { get; } = $"SELECT version, bdata FROM {schema}.mt_events WHERE stream_id = $1 AND version >= $2 ORDER BY version";

    public string ReadLastSequence { get; } = $"SELECT version FROM {schema}.mt_streams WHERE id = $1";

    public static NpgsqlBatchCommand Command(string sql, params ReadOnlySpan<(NpgsqlDbType Type, object Value)> parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (type, value) in parameters)
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value });
        return command;
    }
}
