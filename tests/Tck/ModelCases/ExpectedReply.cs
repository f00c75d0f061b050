using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.Tck.Kit;
using Cloudstate.Es.Tck.Model;
using static Cloudstate.Es.Tck.ModelCases.ModelMessages;

namespace Cloudstate.Es.Tck.ModelCases;

/// <summary>
/// What the kit expects the user function to answer to one command: a reply with the model's state, a forward to
/// EventSourcedTwo/Call or a failure, with exactly these events, snapshot and side effects (none unless given).
/// </summary>
internal sealed record ExpectedReply
{
    private enum Kind { Reply, Forward, Failure }

    public long CommandId { get; private init; }

    public IReadOnlyList<string> Events { get; private init; } = [];

    public string? Snapshot { get; private init; }

    public IReadOnlyList<(string Id, bool Synchronous)> SideEffects { get; private init; } = [];

    private Kind What { get; init; }

    // The state of a reply, the id of a forward, the message of a failure.
    private string Text { get; init; } = "";

    private bool? Restart { get; init; }

    /// <summary>A reply whose Response carries <paramref name="state"/>.</summary>
    public static ExpectedReply Reply(long commandId, string state) => new() { CommandId = commandId, What = Kind.Reply, Text = state };

    /// <summary>A forward to EventSourcedTwo/Call with Request{id}.</summary>
    public static ExpectedReply Forward(long commandId, string id) => new() { CommandId = commandId, What = Kind.Forward, Text = id };

    /// <summary>A failure client action; <paramref name="restart"/> null accepts either restart flag.</summary>
    public static ExpectedReply Failure(long commandId, string message, bool? restart = false) =>
        new() { CommandId = commandId, What = Kind.Failure, Text = message, Restart = restart };

    public ExpectedReply WithEvents(params string[] values) => this with { Events = values };

    public ExpectedReply WithSnapshot(string state) => this with { Snapshot = state };

    public ExpectedReply WithSideEffects(params string[] ids) => this with { SideEffects = [.. SideEffects, .. ids.Select(id => (id, false))] };

    public ExpectedReply WithSynchronousSideEffects(params string[] ids) => this with { SideEffects = [.. SideEffects, .. ids.Select(id => (id, true))] };

    public override string ToString() => What switch
    {
        Kind.Reply => $"reply for command {CommandId} with state {Quote(Text)}",
        Kind.Forward => $"forward for command {CommandId} to {TwoService}/Call with Request{{id {Quote(Text)}}}",
        _ => $"failure {Quote(Text)} for command {CommandId}{Restart switch { true => " asking for a restart", false => " without restart", null => "" }}",
    };

    /// <summary>Throws a <see cref="TckFailure"/> saying what differs between this and <paramref name="actual"/>.</summary>
    public void Check(EventSourcedStreamOut? actual)
    {
        if (actual?.Reply is not { } reply || reply.CommandId != CommandId || !ActionMatches(reply.ClientAction))
        {
            throw new TckFailure($"expected {this}, got {StreamMessages.Describe(actual)}");
        }

        var events = reply.Events.Select(DescribePersisted).ToList();
        var expectedEvents = Events.Select(Quote).ToList();
        if (!events.SequenceEqual(expectedEvents))
        {
            throw new TckFailure($"{this}: expected events {List(expectedEvents)}, got {List(events)}");
        }

        var snapshot = reply.Snapshot is null ? "no snapshot" : $"snapshot {DescribePersisted(reply.Snapshot)}";
        var expectedSnapshot = Snapshot is null ? "no snapshot" : $"snapshot {Quote(Snapshot)}";
        if (snapshot != expectedSnapshot)
        {
            throw new TckFailure($"{this}: expected {expectedSnapshot}, got {snapshot}");
        }

        var sideEffects = reply.SideEffects.Select(StreamMessages.Describe).ToList();
        var expectedSideEffects = SideEffects.Select(e => StreamMessages.Describe(TwoService, "Call", $"Request{{id {Quote(e.Id)}}}", e.Synchronous)).ToList();
        if (!sideEffects.SequenceEqual(expectedSideEffects))
        {
            throw new TckFailure($"{this}: expected side effects {List(expectedSideEffects)}, got {List(sideEffects)}");
        }
    }

    private bool ActionMatches(ClientAction? action) => What switch
    {
        Kind.Reply => Unpack(action?.Reply?.Payload, Response.Parser, Response.Descriptor.FullName)?.Message == Text,
        Kind.Forward => action?.Forward is { } forward
            && forward.ServiceName == TwoService
            && forward.CommandName == "Call"
            && Unpack(forward.Payload, Request.Parser, Request.Descriptor.FullName) is { Actions.Count: 0 } request
            && request.Id == Text,
        _ => action?.Failure is { } failure
            && failure.Description == Text
            && failure.CommandId == CommandId
            && (Restart is null || failure.Restart == Restart),
    };
}
