using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace Cloudstate.Es.Journal.Postgres;

/// <summary>
/// The PostgreSQL journal. Its tables are Marten's event store (<c>mt_streams</c>, <c>mt_events</c>; one stream per
/// entity instance, the stream version is the sequence number), so Marten code can read what the proxy writes; the
/// proxy reads the rows with plain Npgsql and writes them through a function of its own in the same schema, one call
/// per group commit of appends across entities.
/// </summary>
public sealed class PostgresJournal : IJournal, IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly JournalSql sql;
    private readonly PostgresGroupCommit groupCommit;

    private PostgresJournal(PostgresJournalOptions options)
    {
        dataSource = options.DataSource;
        sql = new JournalSql(options.Schema);
        groupCommit = new PostgresGroupCommit(options, sql);
    }

    /// <summary>Transactions committed so far; with <see cref="AppendsCommitted"/> it shows how well appends batch.</summary>
    public long BatchesCommitted => groupCommit.BatchesCommitted;

    /// <summary>Appends carried by the committed transactions, conflicts included.</summary>
    public long AppendsCommitted => groupCommit.AppendsCommitted;

    /// <summary>
    /// Creates Marten's event tables and the journal's append function in the configured schema when they are missing
    /// or out of date, then opens the journal. Throws
    /// <see cref="NpgsqlException"/> when the database cannot be reached.
    /// </summary>
    public static async Task<PostgresJournal> OpenAsync(PostgresJournalOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await MartenEventStore.ApplySchemaAsync(options.DataSource, options.Schema, cancellationToken).ConfigureAwait(false);
        return new PostgresJournal(options);
    }

    public ValueTask<AppendResult> AppendAsync(StreamId stream, SequenceNumber expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
        => groupCommit.AppendAsync(stream, expected, events, cancellationToken);

    public async IAsyncEnumerable<StoredEvent> ReadAsync(StreamId stream, SequenceNumber from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql.ReadEvents, connection);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Varchar, Value = stream.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = Math.Max(from.Value, SequenceNumber.First.Value) });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var sequence = new SequenceNumber(reader.GetInt64(0));
            if (reader.IsDBNull(1))
                throw new InvalidDataException($"Event {sequence} of stream '{stream}' has no binary payload: it was not written through Cloudstate.");
            var (typeUrl, data) = AnyPayload.Decode(reader.GetFieldValue<byte[]>(1));
            yield return new StoredEvent(sequence, typeUrl, data);
        }
    }

    public async ValueTask<SequenceNumber> ReadLastSequenceAsync(StreamId stream, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream.Value, nameof(stream));
        await using var command = dataSource.CreateCommand(sql.ReadLastSequence);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Varchar, Value = stream.Value });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long last ? new SequenceNumber(last) : SequenceNumber.None;
    }

    /// <summary>Lets the queued appends commit; the data source stays with its owner.</summary>
    public ValueTask DisposeAsync() => groupCommit.DisposeAsync();
}
