using Cloudstate.Es.Protocol.Cluster;
using Cloudstate.Es.Proxy.Entities;
using Google.Protobuf;
using Grpc.Core;
using Proto.Remote;

namespace Cloudstate.Es.Proxy.Cluster;

/// <summary>
/// Maps the entity messages to their protobuf form (protocol/cloudstate_es/cluster.proto) when they cross to another
/// node, and back. A message to an instance on this node is never serialized: Proto.Actor hands the object over.
/// </summary>
internal sealed class ClusterMessageSerializer(TimeProvider clock) : ISerializer
{
    /// <summary>The serializer's id on the wire, the same on every node; Proto.Remote's own are 0 (protobuf) and 1 (JSON).</summary>
    public const int Id = 17;

    private static readonly string CommandName = EntityCommandMessage.Descriptor.FullName;
    private static readonly string OutcomeName = EntityOutcomeMessage.Descriptor.FullName;

    public bool CanSerialize(object obj) => obj is EntityCommand or EntityOutcome;

    public string GetTypeName(object message) => message is EntityCommand ? CommandName : OutcomeName;

    public ByteString Serialize(object obj) => obj switch
    {
        EntityCommand command => ToMessage(command, clock.GetUtcNow().UtcDateTime).ToByteString(),
        EntityOutcome outcome => ToMessage(outcome).ToByteString(),
        _ => throw new ArgumentException($"{obj.GetType()} is not an entity message.", nameof(obj)),
    };

    public object Deserialize(ByteString bytes, string typeName)
    {
        if (typeName == CommandName)
            return FromMessage(EntityCommandMessage.Parser.ParseFrom(bytes), clock.GetUtcNow().UtcDateTime);
        if (typeName == OutcomeName)
            return FromMessage(EntityOutcomeMessage.Parser.ParseFrom(bytes));
        throw new ArgumentException($"{typeName} is not an entity message.", nameof(typeName));
    }

    public static EntityCommandMessage ToMessage(EntityCommand command, DateTime now)
    {
        var message = new EntityCommandMessage { Method = command.Method, PayloadTypeUrl = command.PayloadTypeUrl, Payload = command.Payload, Metadata = command.Metadata };
        if (command.SendBy != DateTime.MaxValue)
            message.SendWithinUs = Within(command.SendBy, now);
        if (command.AnswerBy != DateTime.MaxValue)
            message.AnswerWithinUs = Within(command.AnswerBy, now);
        return message;
    }

    public static EntityCommand FromMessage(EntityCommandMessage message, DateTime now) => new(
        message.Method,
        message.PayloadTypeUrl,
        message.Payload,
        message.Metadata,
        message.HasSendWithinUs ? By(message.SendWithinUs, now) : DateTime.MaxValue,
        message.HasAnswerWithinUs ? By(message.AnswerWithinUs, now) : DateTime.MaxValue);

    public static EntityOutcomeMessage ToMessage(EntityOutcome outcome)
    {
        var message = new EntityOutcomeMessage { Action = outcome.Action, ErrorCode = (int)outcome.ErrorCode, Error = outcome.Error ?? "", MayRetry = outcome.MayRetry, LeavingMember = outcome.LeavingMember ?? "" };
        if (outcome.SideEffects is { } effects)
            message.SideEffects.Add(effects);
        return message;
    }

    public static EntityOutcome FromMessage(EntityOutcomeMessage message) => new(
        message.Action,
        message.Action is null ? null : message.SideEffects,
        (StatusCode)message.ErrorCode,
        message.Action is null ? message.Error : null)
    {
        MayRetry = message.MayRetry,
        LeavingMember = message.LeavingMember.Length == 0 ? null : message.LeavingMember,
    };

    // A deadline already past travels as a negative time left and stays past on arrival.
    private static long Within(DateTime by, DateTime now) => (by - now).Ticks / TimeSpan.TicksPerMicrosecond;

    private static DateTime By(long withinUs, DateTime now) =>
        withinUs >= (DateTime.MaxValue - now).Ticks / TimeSpan.TicksPerMicrosecond ? DateTime.MaxValue : now + TimeSpan.FromMicroseconds(withinUs);
}
