using Cloudstate.Es.Journal;
using Cloudstate.Es.Journal.InMemory;
using Cloudstate.Es.Journal.Postgres;
using Cloudstate.Es.Journal.Sqlite;
using Cloudstate.Es.Proxy.Configuration;
using Cloudstate.Es.Snapshots;
using Cloudstate.Es.Snapshots.InMemory;
using Cloudstate.Es.Snapshots.Postgres;
using Cloudstate.Es.Snapshots.Sqlite;
using Npgsql;

namespace Cloudstate.Es.Proxy.Storage;

/// <summary>The journal and snapshot store the proxy opened from its <see cref="StoreSettings"/>; disposing closes them.</summary>
internal sealed partial class ProxyStore : IAsyncDisposable
{
    private readonly IAsyncDisposable? owned;

    private ProxyStore(IJournal journal, ISnapshotStore snapshots, IAsyncDisposable? owned)
    {
        Journal = journal;
        Snapshots = snapshots;
        this.owned = owned;
    }

    public IJournal Journal { get; }

    public ISnapshotStore Snapshots { get; }

    /// <summary>
    /// Opens the store <paramref name="settings"/> name. A PostgreSQL server that cannot be reached is waited for, with
    /// backoff up to <paramref name="maxBackoff"/> and a log line per attempt; one that refuses the credentials or the
    /// database fails at once with <see cref="StoreUnusableException"/>.
    /// </summary>
    public static async Task<ProxyStore> OpenAsync(StoreSettings settings, TimeSpan maxBackoff, ILogger logger, CancellationToken cancellationToken)
    {
        switch (settings)
        {
            case SqliteStoreSettings sqlite:
                Directory.CreateDirectory(sqlite.Directory);
                var journal = new SqliteJournal(new SqliteJournalOptions(Path.Combine(sqlite.Directory, "journal.db")));
                var snapshots = new SqliteSnapshotStore(Path.Combine(sqlite.Directory, "snapshots.db"));
                LogOpened(logger, settings.Name, $"SQLite in {Path.GetFullPath(sqlite.Directory)}");
                return new ProxyStore(journal, snapshots, new Owned(journal, snapshots));
            case InMemoryStoreSettings:
                LogOpened(logger, settings.Name, "memory (nothing survives the process)");
                return new ProxyStore(new InMemoryJournal(), new InMemorySnapshotStore(), owned: null);
            case PostgresStoreSettings postgres:
                return await OpenPostgresAsync(postgres, maxBackoff, logger, cancellationToken).ConfigureAwait(false);
            default:
                throw new ArgumentException($"Unknown store kind {settings.GetType().Name}.", nameof(settings));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (owned is not null)
            await owned.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<ProxyStore> OpenPostgresAsync(PostgresStoreSettings settings, TimeSpan maxBackoff, ILogger logger, CancellationToken cancellationToken)
    {
        var where = $"PostgreSQL {settings.Host}:{settings.Port}/{settings.Database} schema {settings.Schema}";
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString());
        // A server that is gone should fail a command in seconds (the client sees UNAVAILABLE), not after Npgsql's 15 s.
        builder.ConnectionStringBuilder.Timeout = 5;
        builder.ConnectionStringBuilder.ApplicationName = "cloudstate-es";
        var dataSource = builder.Build();
        var backoff = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var journal = await PostgresJournal.OpenAsync(new PostgresJournalOptions(dataSource) { Schema = settings.Schema }, cancellationToken).ConfigureAwait(false);
                var snapshots = await PostgresSnapshotStore.OpenAsync(dataSource, settings.Schema, cancellationToken).ConfigureAwait(false);
                LogOpened(logger, settings.Name, where);
                return new ProxyStore(journal, snapshots, new Owned(journal, dataSource));
            }
            catch (Exception e) when (Refusal(e) is { } refusal)
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
                throw new StoreUnusableException($"The store '{settings.Name}' ({where}) refused the proxy: {refusal.MessageText} ({refusal.SqlState}).", e);
            }
            catch (Exception e) when (Unreachable(e) is { } reason && !cancellationToken.IsCancellationRequested)
            {
                LogWaiting(logger, settings.Name, where, attempt, backoff.TotalMilliseconds, reason);
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, maxBackoff.Ticks));
            }
        }
    }

    // Wrong credentials, a missing database or no right to create the schema: waiting will not help.
    private static PostgresException? Refusal(Exception e) =>
        Find<PostgresException>(e) is { } p && (p.SqlState.StartsWith("28", StringComparison.Ordinal) || p.SqlState is "3D000" or "42501") ? p : null;

    private static string? Unreachable(Exception e) => Find<NpgsqlException>(e)?.Message is { } message
        ? (e.InnerException ?? e).GetBaseException().Message is var cause && cause != message ? $"{message} {cause}" : message
        : null;

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
                return found;
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Store}: journal and snapshots in {Where}")]
    private static partial void LogOpened(ILogger logger, string store, string where);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store {Store}: {Where} is unreachable (attempt {Attempt}, next in {DelayMs} ms): {Reason}")]
    private static partial void LogWaiting(ILogger logger, string store, string where, int attempt, double delayMs, string reason);

    /// <summary>Disposes what the store opened, in order.</summary>
    private sealed class Owned(params IAsyncDisposable[] parts) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var part in parts)
                await part.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>The store answered but will not serve the proxy (credentials, database, rights); the message says which.</summary>
internal sealed class StoreUnusableException(string message, Exception inner) : Exception(message, inner);
