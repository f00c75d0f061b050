namespace Cloudstate.Es.Journal.Postgres;

/// <summary>The journal's SQL over Marten's event tables in one schema.</summary>
internal sealed partial class JournalSql(string schema)
{
    /// <summary>
    /// Writes a batch of appends with <see cref="CreateAppendFunction"/>'s function: one statement in its own implicit
    /// transaction, so the whole batch is one round trip.
    /// </summary>
    public string AppendBatch { get; } = $"SELECT conflicts, lasts FROM {schema}.{AppendFunctionName}($1, $2, $3, $4, $5, $6, $7, $8)";

    public string ReadEvents { get; } = $"SELECT version, bdata FROM {schema}.mt_events WHERE stream_id = $1 AND version >= $2 ORDER BY version";

    public string ReadLastSequence { get; } = $"SELECT version FROM {schema}.mt_streams WHERE id = $1";

    public string ReadLastSequences { get; } = $"SELECT id, version FROM {schema}.mt_streams WHERE id = ANY($1)";

    /// <summary>
    /// Per append (stream, its first version, the id of its first event), the 1-based index of those whose first event
    /// is stored: found through Marten's unique (stream_id, version) index, matched on the id the journal generated.
    /// </summary>
    public string FindAppends { get; } = $"""
        SELECT k.i FROM unnest($1::varchar[], $2::bigint[], $3::uuid[]) WITH ORDINALITY AS k(stream_id, version, id, i)
        JOIN {schema}.mt_events AS e ON e.stream_id = k.stream_id AND e.version = k.version AND e.id = k.id
        """;

    /// <summary>Signals the server process <c>$1</c> of this role to end; a row while it still runs, none once it is gone.</summary>
    public string EndProcess { get; } =
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND usename = current_user AND backend_type = 'client backend'";
}
