using Cloudstate.Es.Journal.Conformance;
using Cloudstate.Es.Postgres.Testing;
using Cloudstate.Es.Snapshots;
using Cloudstate.Es.Snapshots.Postgres;
using Npgsql;
using static Cloudstate.Es.Journal.Conformance.TestEvents;

namespace Cloudstate.Es.Journal.Postgres.Tests;

/// <summary>The journal and snapshots while their server stops and comes back (a server of the test's own).</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task While_the_server_is_down_appends_and_reads_fail_and_after_it_returns_they_carry_on_with_nothing_lost()
    {
        await using var server = await PrivateServer.StartAsync();
        await using var dataSource = TestDatabase.CreateDataSource(server.ConnectionString);
        await using var journal = await PostgresJournal.OpenAsync(new PostgresJournalOptions(dataSource) { OutcomeTimeout = TimeSpan.FromSeconds(2) }, CancellationToken.None);
        var snapshots = await PostgresSnapshotStore.OpenAsync(dataSource, "public", CancellationToken.None);
        var stream = new StreamId("cart|restart");
        await journal.AppendAsync(stream, SequenceNumber.None, Tagged("before", 2), CancellationToken.None);
        await snapshots.SaveAsync(stream, new Snapshot(new SequenceNumber(2), TypeUrl, new byte[] { 2 }), CancellationToken.None);

        await server.StopAsync();
        // On a pooled connection the server died under, the append was sent and nobody answered: unknown, not failed.
        var whileDown = await Assert.ThrowsAnyAsync<Exception>(async () => await journal.AppendAsync(stream, new SequenceNumber(2), [Tagged("while-down")], CancellationToken.None));
        Assert.True(whileDown is NpgsqlException or AppendOutcomeUnknownException, whileDown.ToString());
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => journal.ReadAllAsync(stream));
        await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await snapshots.LoadAsync(stream, CancellationToken.None));

        await server.StartAgainAsync();
        var after = await journal.AppendAsync(stream, new SequenceNumber(2), [Tagged("after")], CancellationToken.None);

        Assert.Equal(AppendResult.Written(new SequenceNumber(3)), after);
        Assert.Equal(["before:0", "before:1", "after"], (await journal.ReadAllAsync(stream)).Select(TagOf));
        Assert.Equal(new SequenceNumber(2), (await snapshots.LoadAsync(stream, CancellationToken.None))?.Sequence);
    }
}
