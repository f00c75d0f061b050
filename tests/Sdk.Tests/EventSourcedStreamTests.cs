using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.TestModel;
using Google.Protobuf.WellKnownTypes;

namespace Cloudstate.Es.Sdk.Tests;

public sealed class EventSourcedStreamTests(UserFunctionServer server) : IClassFixture<UserFunctionServer>
{
    private const string Model = "cloudstate.es.tests.model.Model";

    private static Request Actions(params RequestAction[] actions) => new() { Id = "e", Actions = { actions } };

    private static RequestAction Emit(string value) => new() { Emit = new Emit { Value = value } };

    private static RequestAction Fail(string message) => new() { Fail = new Fail { Message = message } };

    private static string Message(EventSourcedStreamOut output) => output.Reply.ClientAction.Reply.Payload.Unpack<Response>().Message;

    private static IEnumerable<string> Values(EventSourcedReply reply) => reply.Events.Select(e => e.Unpack<Persisted>().Value);

    private Task<EntityStream> Open(EventSourcedSnapshot? snapshot = null) =>
        EntityStream.OpenAsync(server.Channel, Model, Guid.NewGuid().ToString("N"), snapshot);

    [Fact]
    public async Task A_new_entity_starts_from_its_initial_state()
    {
        await using var stream = await Open();

        var reply = await stream.CommandAsync("Process", Actions());

        Assert.Equal(1, reply.Reply.CommandId);
        Assert.Equal("", Message(reply));
        Assert.Empty(reply.Reply.Events);
        Assert.Null(reply.Reply.Snapshot);
    }

    [Fact]
    public async Task One_event_is_emitted_with_its_type_url_and_applied()
    {
        await using var stream = await Open();

        var reply = await stream.CommandAsync("Process", Actions(Emit("A")));

        Assert.Equal("A", Message(reply));
        Assert.Equal("type.googleapis.com/cloudstate.es.tests.model.Persisted", Assert.Single(reply.Reply.Events).TypeUrl);
    }

    [Fact]
    public async Task Several_events_of_several_commands_accumulate_in_order()
    {
        await using var stream = await Open();

        var first = await stream.CommandAsync("Process", Actions(Emit("A"), Emit("B")));
        var second = await stream.CommandAsync("Process", Actions(Emit("C")));

        Assert.Equal(["A", "B"], Values(first.Reply));
        Assert.Equal((2L, "ABC"), (second.Reply.CommandId, Message(second)));
    }

    [Fact]
    public async Task A_snapshot_comes_exactly_with_the_event_that_reaches_every_fifth_sequence_number()
    {
        await using var stream = await Open();
        var snapshots = new List<string?>();

        foreach (var value in "ABCDEFGHIJK")
        {
            var reply = await stream.CommandAsync("Process", Actions(Emit(value.ToString())));
            snapshots.Add(reply.Reply.Snapshot?.Unpack<Persisted>().Value);
        }

        Assert.Equal([null, null, null, null, "ABCDE", null, null, null, null, "ABCDEFGHIJ", null], snapshots);
    }

    [Fact]
    public async Task A_command_whose_events_cross_a_multiple_of_five_carries_a_snapshot_of_the_state_after_all_of_them()
    {
        await using var stream = await Open();
        await stream.CommandAsync("Process", Actions(Emit("A"), Emit("B"), Emit("C")));

        var reply = await stream.CommandAsync("Process", Actions(Emit("D"), Emit("E"), Emit("F")));

        Assert.Equal("ABCDEF", reply.Reply.Snapshot.Unpack<Persisted>().Value);
    }

    [Fact]
    public async Task Init_with_a_snapshot_and_later_events_restores_the_state_and_the_sequence()
    {
        var snapshot = new EventSourcedSnapshot { SnapshotSequence = 4, Snapshot = Any.Pack(new Persisted { Value = "ABCD" }) };
        await using var stream = await Open(snapshot);
        await stream.SendEventAsync(5, new Persisted { Value = "E" });
        await stream.SendEventAsync(6, new Persisted { Value = "F" });

        var reply = await stream.CommandAsync("Process", Actions(Emit("G"), Emit("H"), Emit("I"), Emit("J")));

        Assert.Equal("ABCDEFGHIJ", Message(reply));
        Assert.Equal("ABCDEFGHIJ", reply.Reply.Snapshot.Unpack<Persisted>().Value);
    }

    [Fact]
    public async Task Replayed_events_rebuild_the_state()
    {
        await using var stream = await Open();
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            await stream.SendEventAsync(sequence, new Persisted { Value = sequence.ToString() });
        }

        var reply = await stream.CommandAsync("Process", Actions());

        Assert.Equal("123", Message(reply));
    }

    [Fact]
    public async Task A_forward_names_the_target_method_and_payload()
    {
        await using var stream = await Open();

        var reply = await stream.CommandAsync("Process", Actions(Emit("A"), new RequestAction { Forward = new Forward { Id = "other" } }));

        var forward = reply.Reply.ClientAction.Forward;
        Assert.Equal(("cloudstate.es.tests.model.Two", "Call"), (forward.ServiceName, forward.CommandName));
        Assert.Equal("other", forward.Payload.Unpack<Request>().Id);
        Assert.Equal(["A"], Values(reply.Reply));
    }

    [Fact]
    public async Task Side_effects_keep_their_order_and_synchronous_flag_and_come_with_the_reply()
    {
        await using var stream = await Open();

        var reply = await stream.CommandAsync("Process", Actions(
            new RequestAction { Effect = new Effect { Id = "x", Synchronous = true } },
            new RequestAction { Effect = new Effect { Id = "y", Synchronous = false } }));

        Assert.Equal(
            [("x", true), ("y", false)],
            reply.Reply.SideEffects.Select(e => (e.Payload.Unpack<Request>().Id, e.Synchronous)));
        Assert.All(reply.Reply.SideEffects, e => Assert.Equal("cloudstate.es.tests.model.Two", e.ServiceName));
        Assert.Equal("", Message(reply));
    }

    [Theory]
    [InlineData("out of stock", "out of stock")]
    [InlineData("throw:handler crashed", "handler crashed")]
    public async Task A_failure_discards_the_commands_events_and_side_effects_and_the_stream_stays_usable(string fail, string description)
    {
        await using var stream = await Open();
        await stream.CommandAsync("Process", Actions(Emit("A")));

        var failed = await stream.CommandAsync("Process", Actions(Emit("B"), new RequestAction { Effect = new Effect { Id = "x" } }, Fail(fail)));
        var after = await stream.CommandAsync("Process", Actions(Emit("C")));

        Assert.Equal(2, failed.Reply.ClientAction.Failure.CommandId);
        Assert.Equal(description, failed.Reply.ClientAction.Failure.Description);
        Assert.False(failed.Reply.ClientAction.Failure.Restart);
        // A plain Fail(message), or a thrown exception, chooses no status: the proxy answers UNKNOWN.
        Assert.Equal(0, failed.Reply.ClientAction.Failure.GrpcStatusCode);
        Assert.Empty(failed.Reply.Events);
        Assert.Empty(failed.Reply.SideEffects);
        Assert.Equal("AC", Message(after));
    }

    [Fact]
    public async Task Metadata_of_the_command_is_readable_and_the_reply_carries_none_unless_set()
    {
        await using var stream = await Open();
        var metadata = new Protocol.Metadata { Entries = { new Protocol.MetadataEntry { Key = "x-trace", StringValue = "t1" } } };

        var reply = await stream.CommandAsync("Process", Actions(Emit("A")), metadata);

        Assert.Equal("A", Message(reply));
        Assert.Null(reply.Reply.ClientAction.Reply.Metadata);
    }

    [Fact]
    public async Task An_unknown_command_is_a_stream_failure_that_ends_the_stream()
    {
        await using var stream = await Open();

        var reply = await stream.CommandAsync("Nope", Actions());

        Assert.Equal(EventSourcedStreamOut.MessageOneofCase.Failure, reply.MessageCase);
        Assert.Contains("Nope", reply.Failure.Description, StringComparison.Ordinal);
        Assert.True(await stream.EndsAsync());
    }

    [Fact]
    public async Task A_broken_event_handler_is_a_stream_failure()
    {
        await using var stream = await Open();

        var reply = await stream.CommandAsync("Process", Actions(Emit(ModelEntity.Poison)));

        Assert.Equal(1, reply.Failure.CommandId);
        Assert.Contains("poisoned event", reply.Failure.Description, StringComparison.Ordinal);
        Assert.True(await stream.EndsAsync());
    }

    [Fact]
    public async Task A_replayed_event_the_handler_rejects_is_a_stream_failure()
    {
        await using var stream = await Open();
        await stream.SendEventAsync(1, new Persisted { Value = ModelEntity.Poison });

        var reply = await stream.ReceiveAsync();

        Assert.Contains("sequence 1", reply.Failure.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_for_an_unknown_service_fails()
    {
        await using var stream = await EntityStream.OpenAsync(server.Channel, "no.such.Service", "e");

        var reply = await stream.ReceiveAsync();

        Assert.Contains("no.such.Service", reply.Failure.Description, StringComparison.Ordinal);
    }
}
