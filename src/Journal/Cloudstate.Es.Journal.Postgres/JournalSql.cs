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
}
