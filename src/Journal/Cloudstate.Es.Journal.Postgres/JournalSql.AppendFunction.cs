namespace Cloudstate.Es.Journal.Postgres;

/// <summary>The server-side function that writes a batch of appends, and how it is installed.</summary>
internal sealed partial class JournalSql
{
    /// <summary>
    /// The function's name in the journal's schema. Its parameters and results are its contract with running proxies:
    /// a change to them takes a new name, so that proxies of both versions can share a database during an upgrade.
    /// </summary>
    public const string AppendFunctionName = "cloudstate_append_batch";

    /// <summary>
    /// Serializes the installs of proxies starting together: PostgreSQL fails one of two concurrent
    /// <c>CREATE OR REPLACE FUNCTION</c>s of the same function ("tuple concurrently updated"). The PostgreSQL
    /// snapshot store creates its table under the same key.
    /// </summary>
    public string LockAppendFunction { get; } = $"SELECT pg_advisory_xact_lock(hashtext('{schema}.{AppendFunctionName}'))";

    /// <summary>The same key held by the session across the whole schema install: Marten's tables, then the function.</summary>
    public string LockSchemaInstall { get; } = $"SELECT pg_advisory_lock(hashtext('{schema}.{AppendFunctionName}'))";

    /// <summary>Releases <see cref="LockSchemaInstall"/>.</summary>
    public string UnlockSchemaInstall { get; } = $"SELECT pg_advisory_unlock(hashtext('{schema}.{AppendFunctionName}'))";

    /// <summary>
    /// Creates or replaces the function, so a schema from an earlier version gains it (or its latest body) on start.
    /// <para>
    /// It takes the batch's streams once each (<c>streams</c>) and, per append in batch order, the index of its stream
    /// in them, its expected sequence and its event count; the events follow flattened in the same order. It creates
    /// the rows of streams an append starts, locks every stream of the batch in id order (so writers never deadlock and
    /// the checks hold against other writers), then decides each append in order: a conflict when its expected sequence
    /// is not where the stream stands, else its events are written and the stream moves past them, so a later append to
    /// the same stream in the batch expects what the earlier one produced. It returns, per append, whether it conflicted
    /// and the stream's last sequence number after it (the actual one for a conflict). Events are stored as Marten
    /// would: placeholder JSON, the payload in <c>bdata</c>, the next global sequence in batch order.
    /// </para>
    /// </summary>
    public string CreateAppendFunction { get; } = $$"""
        CREATE OR REPLACE FUNCTION {{schema}}.{{AppendFunctionName}}(
            streams varchar[], append_stream integer[], append_expected bigint[], append_count integer[],
            event_ids uuid[], event_data bytea[], event_type varchar, dotnet_type varchar,
            OUT conflicts boolean[], OUT lasts bigint[])
        LANGUAGE plpgsql AS $body$
        DECLARE
            stream_last bigint[];
            stream_was bigint[];
            event_stream varchar[] := array_fill(NULL::varchar, ARRAY[cardinality(event_ids)]);
            event_version bigint[] := array_fill(NULL::bigint, ARRAY[cardinality(event_ids)]);
            event_at integer := 0;
            reached bigint;
        BEGIN
            INSERT INTO {{schema}}.mt_streams (id, version, timestamp, created)
            SELECT DISTINCT streams[a.slot], 0, now(), now()
            FROM unnest(append_stream, append_expected, append_count) AS a(slot, expected, count)
            WHERE a.expected = 0 AND a.count > 0
            ORDER BY 1
            ON CONFLICT (id) DO NOTHING;

            SELECT array_agg(coalesce(m.version, 0) ORDER BY s.slot) INTO stream_last
            FROM unnest(streams) WITH ORDINALITY AS s(id, slot)
            LEFT JOIN (SELECT id, version FROM {{schema}}.mt_streams WHERE id = ANY(streams) ORDER BY id FOR UPDATE) AS m ON m.id = s.id;
            stream_was := stream_last;

            conflicts := '{}';
            lasts := '{}';
            FOR i IN 1 .. cardinality(append_stream) LOOP
                reached := stream_last[append_stream[i]];
                conflicts[i] := append_expected[i] <> reached;
                IF NOT conflicts[i] THEN
                    FOR k IN 1 .. append_count[i] LOOP
                        event_stream[event_at + k] := streams[append_stream[i]];
                        event_version[event_at + k] := reached + k;
                    END LOOP;
                    reached := reached + append_count[i];
                    stream_last[append_stream[i]] := reached;
                END IF;
                lasts[i] := reached;
                event_at := event_at + append_count[i];
            END LOOP;

            -- A conflicting append's events have no version and are left out.
            INSERT INTO {{schema}}.mt_events (seq_id, id, stream_id, version, data, bdata, type, timestamp, mt_dotnet_type, is_archived)
            SELECT nextval('{{schema}}.mt_events_sequence'), e.id, e.stream_id, e.version, '{}'::jsonb, e.bdata, event_type, now(), dotnet_type, false
            FROM unnest(event_ids, event_stream, event_version, event_data) AS e(id, stream_id, version, bdata)
            WHERE e.version IS NOT NULL;

            UPDATE {{schema}}.mt_streams AS m SET version = s.reached, timestamp = now()
            FROM unnest(streams, stream_last, stream_was) AS s(id, reached, was)
            WHERE m.id = s.id AND s.reached <> s.was;
        END
        $body$
        """;
}
