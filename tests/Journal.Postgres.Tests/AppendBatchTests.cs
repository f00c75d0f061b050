using Cloudstate.Es.Journal.Batching;
using Cloudstate.Es.Journal.Conformance;
using Npgsql;
using static Cloudstate.Es.Journal.Conformance.TestEvents;

namespace Cloudstate.Es.Journal.Postgres.Tests;

public sealed class AppendBatchSchema() : SchemaFixture("append_batch");

/// <summary>
/// Appends that share one batch, and so one call of the append function: the conformance suite mixes them only when
/// timing allows, these tests make sure of it.
/// </summary>
public sealed class AppendBatchTests(AppendBatchSchema schema) : IClassFixture<AppendBatchSchema>
{
    [Fact]
    public async Task In_one_batch_conflicts_refuse_only_their_own_appends_and_appends_to_one_stream_chain()
    {
        var existing = new StreamId("cart|existing");
        var started = new StreamId("cart|started");
        var ahead = new StreamId("cart|ahead");
        var empty = new StreamId("cart|empty");
        await using (var seeding = await schema.EmptyJournalAsync())
            await seeding.AppendAsync(existing, SequenceNumber.None, Tagged("seed", 2), CancellationToken.None);
        (StreamId Stream, long Expected, EventData[] Events)[] appends =
        [
            (existing, 1, [Tagged("stale")]),
            (started, 0, Tagged("start", 2)),
            (started, 2, [Tagged("chained")]),
            (started, 2, [Tagged("stale-in-batch")]),
            (existing, 2, [Tagged("after-conflict")]),
            (ahead, 4, [Tagged("early")]),
            (empty, 0, []),
        ];

        // The writer waits for a full batch, and every append is queued before the first is awaited.
        await using var journal = await PostgresJournal.OpenAsync(
            new PostgresJournalOptions(schema.DataSource) { Schema = schema.Schema, MaxBatchSize = appends.Length, MaxBatchDelay = GroupCommitOptions.MaxBatchDelayLimit },
            CancellationToken.None);
        var pending = appends.Select(a => journal.AppendAsync(a.Stream, new SequenceNumber(a.Expected), a.Events, CancellationToken.None).AsTask()).ToArray();
        var results = await Task.WhenAll(pending);

        Assert.True(journal.BatchesCommitted == 1, $"the appends took {journal.BatchesCommitted} batches, the test needs them in one");
        Assert.Equal(
            [
                AppendResult.Conflict(new SequenceNumber(2)),
                AppendResult.Written(new SequenceNumber(2)),
                AppendResult.Written(new SequenceNumber(3)),
                AppendResult.Conflict(new SequenceNumber(3)),
                AppendResult.Written(new SequenceNumber(3)),
                AppendResult.Conflict(SequenceNumber.None),
                AppendResult.Written(SequenceNumber.None),
            ],
            results);
        Assert.Equal(["seed:0", "seed:1", "after-conflict"], (await journal.ReadAllAsync(existing)).Select(TagOf));
        Assert.Equal(["start:0", "start:1", "chained"], (await journal.ReadAllAsync(started)).Select(TagOf));
        Assert.Equal(new SequenceNumber(3), await journal.ReadLastSequenceAsync(started, CancellationToken.None));
        Assert.Equal(new SequenceNumber(3), await journal.ReadLastSequenceAsync(existing, CancellationToken.None));
    }

    [Fact]
    public async Task A_batch_the_database_refuses_fails_every_append_in_it_and_writes_nothing()
    {
        // A stream row moved back behind the journal's back: its next event collides with one already stored.
        var damaged = new StreamId("cart|damaged");
        var bystander = new StreamId("cart|bystander");
        await using (var seeding = await schema.EmptyJournalAsync())
            await seeding.AppendAsync(damaged, SequenceNumber.None, [Tagged("stored")], CancellationToken.None);
        await using (var rewind = schema.DataSource.CreateCommand($"UPDATE {schema.Schema}.mt_streams SET version = 0 WHERE id = $1"))
        {
            rewind.Parameters.AddWithValue(damaged.Value);
            await rewind.ExecuteNonQueryAsync();
        }

        await using var journal = await PostgresJournal.OpenAsync(
            new PostgresJournalOptions(schema.DataSource) { Schema = schema.Schema, MaxBatchSize = 2, MaxBatchDelay = GroupCommitOptions.MaxBatchDelayLimit },
            CancellationToken.None);
        var first = journal.AppendAsync(bystander, SequenceNumber.None, [Tagged("bystander")], CancellationToken.None).AsTask();
        var second = journal.AppendAsync(damaged, SequenceNumber.None, [Tagged("collides")], CancellationToken.None).AsTask();

        var errors = new[] { await Assert.ThrowsAsync<PostgresException>(() => first), await Assert.ThrowsAsync<PostgresException>(() => second) };
        Assert.All(errors, e => Assert.Equal(PostgresErrorCodes.UniqueViolation, e.SqlState));
        Assert.Empty(await journal.ReadAllAsync(bystander));
        Assert.Equal(SequenceNumber.None, await journal.ReadLastSequenceAsync(bystander, CancellationToken.None));
        Assert.Equal(["stored"], (await journal.ReadAllAsync(damaged)).Select(TagOf));
    }

    [Fact]
    public async Task A_batch_numbers_its_events_globally_in_batch_order_and_starts_no_stream_it_does_not_write()
    {
        var first = new StreamId("cart|global-first");
        var second = new StreamId("cart|global-second");
        var refused = new StreamId("cart|global-refused");
        await using var journal = await PostgresJournal.OpenAsync(
            new PostgresJournalOptions(schema.DataSource) { Schema = schema.Schema, MaxBatchSize = 4, MaxBatchDelay = GroupCommitOptions.MaxBatchDelayLimit },
            CancellationToken.None);

        await Task.WhenAll(
            journal.AppendAsync(second, SequenceNumber.None, [Tagged("b1")], CancellationToken.None).AsTask(),
            journal.AppendAsync(first, SequenceNumber.None, Tagged("a", 2), CancellationToken.None).AsTask(),
            journal.AppendAsync(refused, SequenceNumber.First, [Tagged("never")], CancellationToken.None).AsTask(),
            journal.AppendAsync(second, SequenceNumber.First, [Tagged("b2")], CancellationToken.None).AsTask());

        Assert.True(journal.BatchesCommitted == 1, $"the appends took {journal.BatchesCommitted} batches, the test needs them in one");
        await using var command = schema.DataSource.CreateCommand(
            $"SELECT stream_id || '@' || version FROM {schema.Schema}.mt_events WHERE stream_id LIKE 'cart|global-%' ORDER BY seq_id");
        var inSequence = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                inSequence.Add(reader.GetString(0));
        }

        Assert.Equal(["cart|global-second@1", "cart|global-first@1", "cart|global-first@2", "cart|global-second@2"], inSequence);
        await using var streams = schema.DataSource.CreateCommand($"SELECT count(*) FROM {schema.Schema}.mt_streams WHERE id = $1");
        streams.Parameters.AddWithValue(refused.Value);
        Assert.Equal(0L, await streams.ExecuteScalarAsync());
    }
}
