using System.Collections.Concurrent;
using System.Text;
using Cloudstate.Es.Journal.Conformance;
using Google.Protobuf.WellKnownTypes;
using JasperFx.Events;
using Marten;
using static Cloudstate.Es.Journal.Conformance.TestEvents;

namespace Cloudstate.Es.Journal.Postgres.Tests;

public sealed class PostgresJournalSchema() : SchemaFixture("journal_tests");

/// <summary>What the PostgreSQL journal does beyond the conformance suite: Marten's view of it, batching, other writers.</summary>
public sealed class PostgresJournalTests(PostgresJournalSchema schema) : IClassFixture<PostgresJournalSchema>
{
    [Fact]
    public async Task Marten_reads_the_events_the_journal_writes_as_a_stream_of_its_own()
    {
        var stream = new StreamId("cart|marten-reads");
        await using (var journal = await schema.EmptyJournalAsync())
            await journal.AppendAsync(stream, SequenceNumber.None, Tagged("e", 3), CancellationToken.None);

        await using var store = MartenEventStore.Create(schema.DataSource, schema.Schema);
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(stream.Value);
        var state = await session.Events.FetchStreamStateAsync(stream.Value);

        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Version));
        Assert.All(events, e => Assert.Equal(JournalEvent.MartenTypeName, e.EventTypeName));
        Assert.Equal(["e:0", "e:1", "e:2"], events.Select(e => Encoding.UTF8.GetString(((JournalEvent)e.Data).Data)));
        Assert.All(events, e => Assert.Equal(TypeUrl, ((JournalEvent)e.Data).TypeUrl));
        Assert.Equal(3, state!.Version);
    }

    [Fact]
    public async Task The_journal_reads_and_continues_a_stream_Marten_appended_to()
    {
        var stream = new StreamId("cart|marten-writes");
        await using var journal = await schema.EmptyJournalAsync();
        await using (var store = MartenEventStore.Create(schema.DataSource, schema.Schema))
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream(stream.Value, new JournalEvent(TypeUrl, "from-marten"u8.ToArray()));
            await session.SaveChangesAsync();
        }

        var conflict = await journal.AppendAsync(stream, SequenceNumber.None, [Tagged("stale")], CancellationToken.None);
        await journal.AppendAsync(stream, SequenceNumber.First, [Tagged("from-journal")], CancellationToken.None);

        Assert.Equal(AppendResult.Conflict(SequenceNumber.First), conflict);
        Assert.Equal(["from-marten", "from-journal"], (await journal.ReadAllAsync(stream)).Select(TagOf));
    }

    [Fact]
    public async Task A_stored_event_is_a_protobuf_Any_any_reader_can_decode()
    {
        var stream = new StreamId("cart|any");
        await using var journal = await schema.EmptyJournalAsync();
        await journal.AppendAsync(stream, SequenceNumber.None, [new EventData("type.googleapis.com/x.Y", new byte[] { 8, 150, 1 })], CancellationToken.None);

        await using var command = schema.DataSource.CreateCommand($"SELECT bdata FROM {schema.Schema}.mt_events WHERE stream_id = $1");
        command.Parameters.AddWithValue(stream.Value);
        var any = Any.Parser.ParseFrom((byte[])(await command.ExecuteScalarAsync())!);

        Assert.Equal("type.googleapis.com/x.Y", any.TypeUrl);
        Assert.Equal(new byte[] { 8, 150, 1 }, any.Value.ToByteArray());
    }

    [Fact]
    public async Task Concurrent_appends_to_many_streams_share_transactions()
    {
        await using var journal = await schema.EmptyJournalAsync();

        await Task.WhenAll(Enumerable.Range(0, 64).Select(s => Task.Run(async () =>
        {
            var last = SequenceNumber.None;
            for (var i = 0; i < 20; i++)
                last = (await journal.AppendAsync(new StreamId($"cart|batched-{s}"), last, [Tagged($"{i}")], CancellationToken.None)).LastSequence;
        })));

        Assert.Equal(64 * 20, journal.AppendsCommitted);
        Assert.True(journal.BatchesCommitted < journal.AppendsCommitted / 2, $"{journal.AppendsCommitted} appends took {journal.BatchesCommitted} transactions");
    }

    [Fact]
    public async Task Two_journals_on_one_database_never_both_win_a_position()
    {
        // Two proxies sharing a database: each has its own writer, so only the database's locks keep them apart.
        var stream = new StreamId("cart|two-writers");
        await using var first = await schema.EmptyJournalAsync();
        await using var second = await PostgresJournal.OpenAsync(new PostgresJournalOptions(schema.DataSource) { Schema = schema.Schema }, CancellationToken.None);
        var wins = new ConcurrentBag<long>();

        await Task.WhenAll(new[] { first, second, first, second }.Select((journal, writer) => Task.Run(async () =>
        {
            var expected = SequenceNumber.None;
            for (var attempt = 0; attempt < 40; attempt++)
            {
                var result = await journal.AppendAsync(stream, expected, Tagged($"w{writer}a{attempt}", 2), CancellationToken.None);
                if (!result.IsConflict)
                    wins.Add(result.LastSequence.Value);
                expected = result.LastSequence;
            }
        })));

        var events = await first.ReadAllAsync(stream);
        Assert.Equal(wins.Count * 2, events.Count);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence.Value));
        Assert.Equal(wins.Count, wins.Distinct().Count());
        Assert.Equal(new SequenceNumber(events.Count), await second.ReadLastSequenceAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task An_event_Marten_stored_as_JSON_is_refused_with_its_position_named()
    {
        var stream = new StreamId("cart|json");
        await using var journal = await schema.EmptyJournalAsync();
        await using (var store = DocumentStore.For(o =>
        {
            o.Connection(schema.DataSource);
            o.DatabaseSchemaName = schema.Schema;
            o.Events.StreamIdentity = StreamIdentity.AsString;
        }))
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream(stream.Value, new JsonEvent("not protobuf"));
            await session.SaveChangesAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => journal.ReadAllAsync(stream));

        Assert.Contains("Event 1 of stream 'cart|json'", error.Message, StringComparison.Ordinal);
    }

    private sealed record JsonEvent(string Text);
}
