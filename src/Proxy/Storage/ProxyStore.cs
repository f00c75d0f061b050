using Cloudstate.Es.Journal;
using Cloudstate.Es.Journal.EventStoreDb;
using Cloudstate.Es.Journal.InMemory;
using Cloudstate.Es.Journal.Membership;
using Cloudstate.Es.Journal.Postgres;
using Cloudstate.Es.Journal.Sqlite;
using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Snapshots;
using Cloudstate.Es.Snapshots.EventStoreDb;
using Cloudstate.Es.Snapshots.InMemory;
using Cloudstate.Es.Snapshots.Postgres;
using Cloudstate.Es.Snapshots.Sqlite;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cloudstate.Es.Proxy.Storage;

/// <summary>The journal and snapshot store the proxy opened from its <see cref="StoreSettings"/>; disposing closes them.</summary>
internal sealed partial class ProxyStore : IAsyncDisposable
{
    /// <summary>The file in a SQLite data directory that the proxy using it holds locked.</summary>
    public const string LockFileName = "proxy.lock";

    /// <summary>Most connections one proxy holds to a PostgreSQL store.</summary>
    public const int MaxConnections = 20;

    private readonly IAsyncDisposable? owned;

    private ProxyStore(IJournal journal, ISnapshotStore snapshots, IAsyncDisposable? owned, IMembershipTable? membership = null)
    {
        Journal = journal;
        Snapshots = snapshots;
        Membership = membership;
        this.owned = owned;
    }

    public IJournal Journal { get; }

    public ISnapshotStore Snapshots { get; }

    /// <summary>The cluster's members table, opened when the proxy was asked for it and the store keeps one (PostgreSQL).</summary>
    public IMembershipTable? Membership { get; }

    /// <summary>
    /// Opens the store <paramref name="settings"/> name. A PostgreSQL server that cannot be reached is waited for, with
    /// backoff up to <paramref name="maxBackoff"/> and a log line per attempt; any other error the server reports fails
    /// at once with <see cref="StoreUnusableException"/>, with the server's message. A SQLite data directory that is
    /// locked by another proxy or cannot be opened fails the same way. With <paramref name="clustered"/> the store also opens
    /// the cluster's members table, and a server still unreachable after <paramref name="giveUpAfter"/> fails the start: a
    /// cluster node cannot be one without its store.
    /// </summary>
    public static async Task<ProxyStore> OpenAsync(StoreSettings settings, TimeSpan maxBackoff, ILogger logger, CancellationToken cancellationToken, bool clustered = false, TimeSpan? giveUpAfter = null)
    {
        switch (settings)
        {
            case SqliteStoreSettings sqlite:
                return await OpenSqliteAsync(sqlite, logger).ConfigureAwait(false);
            case InMemoryStoreSettings:
                LogOpened(logger, settings.Name, "memory (nothing survives the process)");
                return new ProxyStore(new InMemoryJournal(), new InMemorySnapshotStore(), owned: null);
            case PostgresStoreSettings postgres:
                return await OpenPostgresAsync(postgres, maxBackoff, logger, clustered, giveUpAfter, cancellationToken).ConfigureAwait(false);
            case EventStoreDbStoreSettings eventStore:
                return await OpenEventStoreDbAsync(eventStore, maxBackoff, logger, clustered, giveUpAfter, cancellationToken).ConfigureAwait(false);
            default:
                throw new ArgumentException($"Unknown store kind {settings.GetType().Name}.", nameof(settings));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (owned is not null)
            await owned.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Opens the journal and snapshots in the data directory, holding its lock file for the proxy's life: two proxies
    /// writing one SQLite journal would each believe their own sequence numbers.
    /// </summary>
    private static async Task<ProxyStore> OpenSqliteAsync(SqliteStoreSettings settings, ILogger logger)
    {
        var directory = Path.GetFullPath(settings.Directory);
        var where = $"SQLite in {directory}";
        FileStream? directoryLock = null;
        SqliteJournal? journal = null;
        try
        {
            if (File.Exists(directory))
                throw new IOException($"{directory} is a file, not a directory.");
            Directory.CreateDirectory(directory);
            directoryLock = LockDirectory(settings, directory);
            journal = new SqliteJournal(new SqliteJournalOptions(Path.Combine(directory, "journal.db")));
            var snapshots = new SqliteSnapshotStore(Path.Combine(directory, "snapshots.db"));
            LogOpened(logger, settings.Name, where);
            return new ProxyStore(journal, snapshots, new Owned(journal, snapshots, directoryLock));
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            if (journal is not null)
                await journal.DisposeAsync().ConfigureAwait(false);
            if (directoryLock is not null)
                await directoryLock.DisposeAsync().ConfigureAwait(false);
            throw new StoreUnusableException($"The store '{settings.Name}' ({where}) cannot be opened: {OneLine(e.Message)}", e);
        }
    }

    private static FileStream LockDirectory(SqliteStoreSettings settings, string directory)
    {
        var path = Path.Combine(directory, LockFileName);
        try
        {
            // FileShare.None takes an exclusive lock on the file (flock on Unix), released when the process ends however it ends.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path))
        {
            throw new StoreUnusableException(
                $"The store '{settings.Name}' (SQLite in {directory}) is in use by another proxy (it holds {path}); a data directory serves one proxy at a time.", e);
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static async Task<ProxyStore> OpenPostgresAsync(PostgresStoreSettings settings, TimeSpan maxBackoff, ILogger logger, bool clustered, TimeSpan? giveUpAfter, CancellationToken cancellationToken)
    {
        var where = $"PostgreSQL {settings.Host}:{settings.Port}/{settings.Database} schema {settings.Schema}";
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString());
        // A server that is gone should fail a command in seconds (the client sees UNAVAILABLE), not after Npgsql's 15 s.
        builder.ConnectionStringBuilder.Timeout = 5;
        // Npgsql's default of 100 per pool would let three nodes take PostgreSQL's every connection (its default
        // max_connections is 100). Two commit at once; the rest serve replays, snapshots and the members table.
        builder.ConnectionStringBuilder.MaxPoolSize = MaxConnections;
        builder.ConnectionStringBuilder.ApplicationName = "cloudstate-es";
        var dataSource = builder.Build();
        async Task<ProxyStore> OpenAsync()
        {
            var journal = await PostgresJournal.OpenAsync(new PostgresJournalOptions(dataSource) { Schema = settings.Schema }, cancellationToken).ConfigureAwait(false);
            var snapshots = await PostgresSnapshotStore.OpenAsync(dataSource, settings.Schema, cancellationToken).ConfigureAwait(false);
            var members = clustered ? await PostgresMembershipTable.OpenAsync(dataSource, settings.Schema, cancellationToken).ConfigureAwait(false) : null;
            return new ProxyStore(journal, snapshots, new Owned(journal, dataSource), members);
        }

        var opening = new Opening(settings, where, maxBackoff, giveUpAfter, logger, dataSource);
        return await opening.WaitForAsync(OpenAsync, Unreachable, e => Refusal(e) is { } refusal ? $"{refusal.MessageText} ({refusal.SqlState})" : null, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ProxyStore> OpenEventStoreDbAsync(EventStoreDbStoreSettings settings, TimeSpan maxBackoff, ILogger logger, bool clustered, TimeSpan? giveUpAfter, CancellationToken cancellationToken)
    {
        var where = $"EventStoreDB {settings.Address}";
        var node = new EventStoreDbNode(new EventStoreDbOptions(settings.Address) { Username = settings.Username, Password = settings.Password, CallTimeout = TimeSpan.FromSeconds(5) });
        async Task<ProxyStore> OpenAsync()
        {
            var journal = await EventStoreDbJournal.OpenAsync(node, cancellationToken).ConfigureAwait(false);
            var members = clustered ? await EventStoreDbMembershipTable.OpenAsync(node, cancellationToken).ConfigureAwait(false) : null;
            return new ProxyStore(journal, new EventStoreDbSnapshotStore(node), new Owned(journal, node), members);
        }

        // A node that answers but will not let the proxy in (bad credentials, no rights) is a refusal; anything else
        // the channel reports means it is not there yet.
        static string? Refused(Exception e) => e is RpcException { StatusCode: StatusCode.Unauthenticated or StatusCode.PermissionDenied } r ? r.Status.Detail : null;
        static string? Unreached(Exception e) => e is RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown } r
            ? (r.Status.DebugException?.GetBaseException().Message ?? r.Status.Detail)
            : null;
        return await new Opening(settings, where, maxBackoff, giveUpAfter, logger, node).WaitForAsync(OpenAsync, Unreached, Refused, cancellationToken).ConfigureAwait(false);
    }

    // Any error the server reports stops the start (wrong credentials, a missing database, no rights, a read-only or
    // broken schema: waiting will not help), except the ones that say the server cannot take a connection yet.
    private static PostgresException? Refusal(Exception e) =>
        Find<PostgresException>(e) is { } p && !IsConnectionFailure(p.SqlState) ? p : null;

    // Class 08 (connection exception), the server shutting down or starting up (57P01-57P03), too many connections.
    private static bool IsConnectionFailure(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState is "57P01" or "57P02" or "57P03" or "53300";

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

    /// <summary>
    /// The start of a store on a server: attempts until one opens it. A server that cannot be reached is waited for, with
    /// backoff and a log line per attempt, until <c>giveUpAfter</c> when one is given; a refusal (credentials, rights, a
    /// broken schema: waiting will not help) fails at once. On failure <c>owned</c> is released.
    /// </summary>
    private sealed class Opening(StoreSettings settings, string where, TimeSpan maxBackoff, TimeSpan? giveUpAfter, ILogger logger, IAsyncDisposable owned)
    {
        public async Task<ProxyStore> WaitForAsync(Func<Task<ProxyStore>> open, Func<Exception, string?> unreachable, Func<Exception, string?> refusal, CancellationToken cancellationToken)
        {
            var backoff = TimeSpan.FromMilliseconds(200);
            var started = TimeProvider.System.GetTimestamp();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var store = await open().ConfigureAwait(false);
                    LogOpened(logger, settings.Name, where);
                    return store;
                }
                catch (Exception e) when (refusal(e) is { } reason)
                {
                    await owned.DisposeAsync().ConfigureAwait(false);
                    throw new StoreUnusableException($"The store '{settings.Name}' ({where}) refused the proxy: {reason}.", e);
                }
                catch (Exception e) when (unreachable(e) is { } reason && giveUpAfter is { } limit && TimeProvider.System.GetElapsedTime(started) >= limit)
                {
                    await owned.DisposeAsync().ConfigureAwait(false);
                    throw new StoreUnusableException(
                        $"The store '{settings.Name}' ({where}) is still unreachable after {limit.TotalSeconds} s: {reason} A cluster node does not start without the store its members share.", e);
                }
                catch (Exception e) when (unreachable(e) is { } reason && !cancellationToken.IsCancellationRequested)
                {
                    // Never past the time to give up: the last attempt comes at it.
                    var left = giveUpAfter - TimeProvider.System.GetElapsedTime(started);
                    var wait = left < backoff ? TimeSpan.FromTicks(Math.Max(left.Value.Ticks, 0)) : backoff;
                    LogWaiting(logger, settings.Name, where, attempt, wait.TotalMilliseconds, reason);
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, maxBackoff.Ticks));
                }
                catch
                {
                    await owned.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }
        }
    }

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
