using Cloudstate.Es.Postgres.Testing;
using Cloudstate.Es.Snapshots.Postgres;
using Npgsql;

namespace Cloudstate.Es.Journal.Postgres.Tests;

/// <summary>The snapshot store's schema and table are created under the journal's schema install lock.</summary>
public sealed class SnapshotSchemaLockTests
{
    [Fact]
    public async Task Opening_the_snapshot_store_waits_while_the_journals_schema_install_lock_is_held()
    {
        const string schema = "snapshot_lock";
        await using var dataSource = TestDatabase.CreateDataSource();
        await TestDatabase.DropSchemaAsync(dataSource, schema);
        await using var holder = await dataSource.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockIt = new NpgsqlCommand(new JournalSql(schema).LockAppendFunction, holder, transaction))
            await lockIt.ExecuteNonQueryAsync();

        var open = PostgresSnapshotStore.OpenAsync(dataSource, schema, CancellationToken.None);
        var waited = await WaitsForAdvisoryLockAsync(dataSource, open);
        await transaction.CommitAsync();
        await open.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(waited, "the snapshot store opened while the journal's schema install lock was held");
    }

    /// <summary>True once another session is seen waiting for an advisory lock, false if <paramref name="open"/> ends first.</summary>
    private static async Task<bool> WaitsForAdvisoryLockAsync(NpgsqlDataSource dataSource, Task open)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline && !open.IsCompleted)
        {
            if ((long)(await command.ExecuteScalarAsync())! > 0)
                return true;
            await Task.Delay(20);
        }

        return false;
    }

}
