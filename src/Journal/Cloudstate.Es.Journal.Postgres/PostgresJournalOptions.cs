using System.Text.RegularExpressions;
using Cloudstate.Es.Journal.Batching;
using Npgsql;

namespace Cloudstate.Es.Journal.Postgres;

/// <summary>Which PostgreSQL database and schema the journal uses and how it group-commits appends.</summary>
public sealed partial class PostgresJournalOptions : GroupCommitOptions
{
    /// <param name="dataSource">The database; the journal borrows connections from it and does not dispose it.</param>
    public PostgresJournalOptions(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        DataSource = dataSource;
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// The schema of Marten's event tables (<c>mt_events</c>, <c>mt_streams</c>), created on first start. Lower-case
    /// letters, digits and underscores, starting with a letter. Default <c>public</c>.
    /// </summary>
    public string Schema
    {
        get;
        init
        {
            if (!IsSchemaName(value))
                throw new ArgumentException($"'{value}' is not a schema name: use lower-case letters, digits and '_', starting with a letter, at most 63.", nameof(Schema));
            field = value!;
        }
    } = "public";

    /// <summary>True for a name <see cref="Schema"/> accepts.</summary>
    public static bool IsSchemaName(string? name) => SchemaName().IsMatch(name ?? "");

    /// <summary>
    /// How many batches may commit at once, each on its own connection; the next batch's call overlaps the previous
    /// one's commit. Row locks keep batches that touch the same stream in order. Default 2; more did not help on 2 cores.
    /// </summary>
    public int ConcurrentCommits
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 2;

    /// <summary>
    /// How long a group commit whose connection dropped mid-commit may spend learning whether its batch was stored
    /// (reconnecting, ending the lost server process, looking the events up) before it reports the outcome as unknown
    /// (<see cref="AppendOutcomeUnknownException"/>). Default 10 s.
    /// </summary>
    public TimeSpan OutcomeTimeout
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromSeconds(10);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
