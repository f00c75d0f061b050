using System.Diagnostics;
using Cloudstate.Es.Journal.Conformance;
using Cloudstate.Es.Postgres.Testing;
using Npgsql;
using Xunit.Abstractions;
using static Cloudstate.Es.Journal.Conformance.TestEvents;

namespace Cloudstate.Es.Journal.Postgres.Tests;

/// <summary>
/// A group commit whose connection is lost after the server committed: the journal learns the outcome before it
/// answers, or says it is unknown. Commits are held after the local commit by a synchronous standby that does not
/// exist, so the test can kill the connection at exactly that point (a server of the test's own).
/// </summary>
public sealed class CommitOutcomeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_append_whose_connection_is_killed_after_the_commit_is_answered_written_and_stored_once()
    {
        await using var server = await PrivateServer.StartAsync();
        await using var dataSource = TestDatabase.CreateDataSource(server.ConnectionString);
        await using var journal = await PostgresJournal.OpenAsync(new PostgresJournalOptions(dataSource), CancellationToken.None);
        var stream = new StreamId("cart|killed-after-commit");
        await journal.AppendAsync(stream, SequenceNumber.None, [Tagged("before")], CancellationToken.None);

        await StallCommitsAsync(server, stall: true);
        var append = journal.AppendAsync(stream, SequenceNumber.First, Tagged("held", 2), CancellationToken.None).AsTask();
        var held = await HeldCommitAsync(server);
        var clock = Stopwatch.StartNew();
        await TerminateAsync(server, held);
        var result = await append.WaitAsync(Deadline);
        await StallCommitsAsync(server, stall: false);
        output.WriteLine($"outcome learned {clock.ElapsedMilliseconds} ms after the connection was killed");

        Assert.Equal(AppendResult.Written(new SequenceNumber(3)), result);
        Assert.Equal(["before", "held:0", "held:1"], (await journal.ReadAllAsync(stream)).Select(TagOf));
    }

    [Fact]
    public async Task An_append_whose_server_stays_gone_past_the_outcome_timeout_is_unknown()
    {
        await using var server = await PrivateServer.StartAsync();
        await using var dataSource = TestDatabase.CreateDataSource(server.ConnectionString);
        var timeout = TimeSpan.FromSeconds(2);
        await using var journal = await PostgresJournal.OpenAsync(new PostgresJournalOptions(dataSource) { OutcomeTimeout = timeout }, CancellationToken.None);
        var stream = new StreamId("cart|server-gone");

        await StallCommitsAsync(server, stall: true);
        var append = journal.AppendAsync(stream, SequenceNumber.None, [Tagged("held")], CancellationToken.None).AsTask();
        await HeldCommitAsync(server);
        var clock = Stopwatch.StartNew();
        await server.StopAsync();
        var unknown = await Assert.ThrowsAsync<AppendOutcomeUnknownException>(() => append.WaitAsync(Deadline));
        output.WriteLine($"unknown reported {clock.ElapsedMilliseconds} ms after the server stopped: {unknown.Message}");

        Assert.InRange(clock.Elapsed, timeout * 0.5, timeout + TimeSpan.FromSeconds(10));
    }

    private static async Task StallCommitsAsync(PrivateServer server, bool stall)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using (var set = new NpgsqlCommand($"ALTER SYSTEM SET synchronous_standby_names = '{(stall ? "nobody" : "")}'", connection))
            await set.ExecuteNonQueryAsync();
        await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", connection);
        await reload.ExecuteNonQueryAsync();
    }

    /// <summary>The server process of the commit held waiting for the standby, once there is one.</summary>
    private static async Task<int> HeldCommitAsync(PrivateServer server)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE wait_event = 'SyncRep' LIMIT 1", connection);
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            if (await command.ExecuteScalarAsync() is int pid)
                return pid;
            Assert.True(DateTime.UtcNow < deadline, "no commit ever waited for the standby");
            await Task.Delay(20);
        }
    }

    private static async Task TerminateAsync(PrivateServer server, int pid)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT pg_terminate_backend({pid})", connection);
        await command.ExecuteNonQueryAsync();
    }
}
