using System.Text.RegularExpressions;
using Cloudstate.Es.Journal;
using Npgsql;
using NpgsqlTypes;

namespace Cloudstate.Es.Snapshots.Postgres;

/// <summary>Keeps the latest snapshot of each stream in the table <c>cloudstate_snapshots</c> of a PostgreSQL schema.</summary>
public sealed partial class PostgresSnapshotStore : ISnapshotStore
{
    private readonly NpgsqlDataSource dataSource;
    private readonly string upsert;
    private readonly string select;

    private PostgresSnapshotStore(NpgsqlDataSource dataSource, string schema)
    {
        this.dataSource = dataSource;
        // Only the newest snapshot per stream is kept; a save never replaces a newer one, whatever order saves arrive in.
        upsert = $"""
            INSERT INTO {schema}.cloudstate_snapshots AS s (stream_id, sequence, type_url, data, saved) VALUES ($1, $2, $3, $4, now())
            ON CONFLICT (stream_id) DO UPDATE SET sequence = excluded.sequence, type_url = excluded.type_url, data = excluded.data, saved = excluded.saved
            WHERE excluded.sequence > s.sequence
            """;
        select = $"SELECT sequence, type_url, data FROM {schema}.cloudstate_snapshots WHERE stream_id = $1";
    }

    /// <summary>Creates the schema and table when they are missing, then opens the store. The data source stays with its owner.</summary>
    /// <param name="schema">Lower-case letters, digits and '_', starting with a letter; usually the journal's schema.</param>
    public static async Task<PostgresSnapshotStore> OpenAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (!SchemaName().IsMatch(schema ?? ""))
            throw new ArgumentException($"'{schema}' is not a schema name: use lower-case letters, digits and '_', starting with a letter, at most 63.", nameof(schema));
        // Under the lock of the journal's schema install (its append function's key): two proxies starting together
        // would otherwise race on CREATE ... IF NOT EXISTS, which fails one of them on the catalog's unique index.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"""
            SELECT pg_advisory_xact_lock(hashtext('{schema}.cloudstate_append_batch'));
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.cloudstate_snapshots (
                stream_id varchar PRIMARY KEY,
                sequence bigint NOT NULL,
                type_url varchar NOT NULL,
                data bytea NOT NULL,
                saved timestamptz NOT NULL);
            """, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PostgresSnapshotStore(dataSource, schema!);
    }

    public async ValueTask<Snapshot?> LoadAsync(StreamId stream, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        await using var command = dataSource.CreateCommand(select);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Varchar, Value = stream.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            return null;
        return new Snapshot(new SequenceNumber(reader.GetInt64(0)), reader.GetString(1), reader.GetFieldValue<byte[]>(2));
    }

    public async ValueTask SaveAsync(StreamId stream, Snapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        ArgumentNullException.ThrowIfNull(snapshot.TypeUrl, nameof(snapshot));
        await using var command = dataSource.CreateCommand(upsert);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Varchar, Value = stream.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = snapshot.Sequence.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Varchar, Value = snapshot.TypeUrl });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = snapshot.Data.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
