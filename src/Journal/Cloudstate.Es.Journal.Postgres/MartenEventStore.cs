using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace Cloudstate.Es.Journal.Postgres;

/// <summary>The Marten event store the journal's tables belong to: string stream ids, events as protobuf <c>Any</c>.</summary>
public static class MartenEventStore
{
    /// <summary>
    /// A Marten store over the journal's tables in <paramref name="schema"/>; Marten code can read (and, with the same
    /// rules, append to) the streams the proxy writes. The caller disposes it.
    /// </summary>
    public static DocumentStore Create(NpgsqlDataSource dataSource, string schema)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return DocumentStore.For(options =>
        {
            options.Connection(dataSource);
            options.DatabaseSchemaName = schema;
            options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            options.Events.StreamIdentity = StreamIdentity.AsString;
            options.Events.AppendMode = EventAppendMode.Quick;
            options.Events.MapEventType<JournalEvent>(JournalEvent.MartenTypeName);
            options.Events.UseBinarySerializer<JournalEvent>(new JournalEventSerializer());
            options.DisableNpgsqlLogging = true;
        });
    }

    /// <summary>
    /// Creates the event tables and functions in <paramref name="schema"/> when they are missing or out of date, and
    /// (re)creates the journal's own append function, so a schema from an earlier version needs no manual step. All of it
    /// holds the schema's install lock (the one the snapshot store and the members table take too): proxies starting
    /// together on an empty schema would otherwise each try to create the same tables, and all but one fail.
    /// </summary>
    public static async Task ApplySchemaAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        var sql = new JournalSql(schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await Execute(sql.LockSchemaInstall, transaction: null, cancellationToken).ConfigureAwait(false);
        try
        {
            await using (var store = Create(dataSource, schema))
                await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync().WaitAsync(cancellationToken).ConfigureAwait(false);

            // The transaction's own lock on the same key is granted at once: this session holds it already.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await Execute(sql.LockAppendFunction, transaction, cancellationToken).ConfigureAwait(false);
            await Execute(sql.CreateAppendFunction, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also when the start was cancelled: the session may go back to the pool, and must not keep the lock there.
            await Execute(sql.UnlockSchemaInstall, transaction: null, CancellationToken.None).ConfigureAwait(false);
        }

        async Task Execute(string statement, NpgsqlTransaction? transaction, CancellationToken token)
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        }
    }
}
