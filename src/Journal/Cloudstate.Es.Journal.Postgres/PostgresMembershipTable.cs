using Cloudstate.Es.Journal.Membership;
using Npgsql;
using NpgsqlTypes;

namespace Cloudstate.Es.Journal.Postgres;

/// <summary>
/// The cluster's members table in the journal's schema (<c>cloudstate_members</c>): a row per proxy node, its heartbeat
/// stamped with the server's clock. One statement per heartbeat evicts the expired rows, stamps this node's and reads the rest.
/// </summary>
public sealed class PostgresMembershipTable : IMembershipTable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly string join;
    private readonly string heartbeat;
    private readonly string leave;

    private PostgresMembershipTable(NpgsqlDataSource dataSource, string schema)
    {
        this.dataSource = dataSource;
        var table = $"{schema}.cloudstate_members";
        join = $"""
            INSERT INTO {table} (member_id, host, port, kinds, joined, heartbeat) VALUES ($1, $2, $3, $4, clock_timestamp(), clock_timestamp())
            ON CONFLICT (member_id) DO UPDATE SET host = excluded.host, port = excluded.port, kinds = excluded.kinds, heartbeat = excluded.heartbeat
            """;
        // Every part of one statement sees the same snapshot: the update and the final read leave out what the delete
        // removed themselves. Concurrent heartbeats serialize on the row locks; a row another node deleted first is not updated.
        heartbeat = $"""
            WITH evicted AS (
                DELETE FROM {table} WHERE heartbeat < clock_timestamp() - $2 * interval '1 millisecond' RETURNING member_id
            ), beat AS (
                UPDATE {table} SET heartbeat = clock_timestamp()
                WHERE member_id = $1 AND NOT EXISTS (SELECT 1 FROM evicted WHERE evicted.member_id = $1)
                RETURNING member_id
            )
            SELECT m.member_id, m.host, m.port, m.kinds, EXISTS (SELECT 1 FROM beat)
            FROM {table} m
            WHERE NOT EXISTS (SELECT 1 FROM evicted WHERE evicted.member_id = m.member_id)
            ORDER BY m.member_id
            """;
        leave = $"DELETE FROM {table} WHERE member_id = $1";
    }

    /// <summary>Creates the table when it is missing (under the journal's schema-install lock), then opens it. The data source stays with its owner.</summary>
    /// <param name="schema">Lower-case letters, digits and '_', starting with a letter; the journal's schema.</param>
    public static async Task<PostgresMembershipTable> OpenAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (!PostgresJournalOptions.IsSchemaName(schema))
            throw new ArgumentException($"'{schema}' is not a schema name: use lower-case letters, digits and '_', starting with a letter, at most 63.", nameof(schema));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"""
            SELECT pg_advisory_xact_lock(hashtext('{schema}.cloudstate_append_batch'));
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.cloudstate_members (
                member_id text PRIMARY KEY,
                host text NOT NULL,
                port integer NOT NULL,
                kinds text[] NOT NULL,
                joined timestamptz NOT NULL,
                heartbeat timestamptz NOT NULL);
            """, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PostgresMembershipTable(dataSource, schema);
    }

    public async ValueTask JoinAsync(MemberEntry self, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(self);
        await using var command = dataSource.CreateCommand(join);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = self.MemberId });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = self.Host });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = self.Port });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = self.Kinds.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<MembershipView> HeartbeatAsync(string memberId, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(heartbeat);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = memberId });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = timeToLive.TotalMilliseconds });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var members = new List<MemberEntry>();
        var stillMember = false;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            members.Add(new MemberEntry(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetFieldValue<string[]>(3)));
            stillMember = reader.GetBoolean(4);
        }

        return new MembershipView(stillMember, members);
    }

    public async ValueTask LeaveAsync(string memberId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(leave);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = memberId });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
