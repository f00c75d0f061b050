using Cloudstate.Es.Protocol;
using Cloudstate.Es.Proxy.Cluster;
using Cloudstate.Es.Proxy.Entities;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

public sealed class ClusterMessageTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    private static T RoundTrip<T>(T message, TimeSpan clockSkew = default)
        where T : notnull
    {
        var sender = new ClusterMessageSerializer(new FakeTimeProvider(Now));
        var receiver = new ClusterMessageSerializer(new FakeTimeProvider(Now + clockSkew));
        Assert.True(sender.CanSerialize(message));
        return (T)receiver.Deserialize(sender.Serialize(message), sender.GetTypeName(message));
    }

    [Fact]
    public void A_command_crosses_to_another_node_with_its_bytes_metadata_and_deadlines()
    {
        var metadata = new Protocol.Metadata { Entries = { new MetadataEntry { Key = "x-color", StringValue = "blue" }, new MetadataEntry { Key = "x-bin", BytesValue = ByteString.CopyFrom(1, 2) } } };
        var command = new EntityCommand("AddItem", "type.googleapis.com/shop.AddLineItem", ByteString.CopyFrom(8, 1, 18, 3), metadata, Now.AddSeconds(2), Now.AddSeconds(60));

        var arrived = RoundTrip(command);

        Assert.Equal(command, arrived with { Payload = command.Payload, Metadata = command.Metadata });
        Assert.Equal(command.Payload, arrived.Payload);
        Assert.Equal(command.Metadata, arrived.Metadata);
    }

    [Fact]
    public void Deadlines_travel_as_time_left_so_a_receiver_whose_clock_is_ahead_still_gets_the_full_time()
    {
        var command = new EntityCommand("Get", "type.googleapis.com/m.Get", ByteString.Empty, null, Now.AddSeconds(2), Now.AddSeconds(60));

        var arrived = RoundTrip(command, clockSkew: TimeSpan.FromMinutes(5));

        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60)), (arrived.SendBy - Now.AddMinutes(5), arrived.AnswerBy - Now.AddMinutes(5)));
    }

    [Fact]
    public void A_command_without_deadlines_has_none_on_arrival_and_one_already_past_stays_past()
    {
        var unlimited = RoundTrip(new EntityCommand("Get", "type.googleapis.com/m.Get", ByteString.Empty, null));
        var late = RoundTrip(new EntityCommand("Get", "type.googleapis.com/m.Get", ByteString.Empty, null, Now.AddSeconds(-1), Now.AddSeconds(10)));

        Assert.Equal((DateTime.MaxValue, DateTime.MaxValue, (Protocol.Metadata?)null), (unlimited.SendBy, unlimited.AnswerBy, unlimited.Metadata));
        Assert.True(late.SendBy < Now, $"sent by {late.SendBy:O}");
    }

    [Fact]
    public void An_outcome_crosses_back_with_its_client_action_and_side_effects()
    {
        var action = new ClientAction { Reply = new Reply { Payload = Any.Pack(new StringValue { Value = "done" }) } };
        var effects = new RepeatedField<SideEffect> { new SideEffect { ServiceName = "shop.Audit", CommandName = "Record", Synchronous = true } };

        var arrived = RoundTrip(EntityOutcome.From(action, effects));

        Assert.Equal((action, StatusCode.OK, (string?)null, false), (arrived.Action, arrived.ErrorCode, arrived.Error, arrived.MayRetry));
        Assert.Equal(effects, arrived.SideEffects);
    }

    [Theory]
    [InlineData("failed")]
    [InlineData("fenced")]
    [InlineData("leaving")]
    public void An_error_crosses_back_with_its_status_whether_it_may_be_retried_and_after_which_member(string kind)
    {
        var outcome = kind switch
        {
            "fenced" => EntityOutcome.Fenced("lost the stream"),
            "leaving" => EntityOutcome.Leaving("6f1c766994f4db1a08936c6f678d9320", "its node is leaving"),
            _ => EntityOutcome.Failed(StatusCode.ResourceExhausted, "too many"),
        };

        var arrived = RoundTrip(outcome);

        Assert.Equal(
            (outcome.ErrorCode, outcome.Error, kind != "failed", kind == "leaving" ? "6f1c766994f4db1a08936c6f678d9320" : null, (ClientAction?)null, (RepeatedField<SideEffect>?)null),
            (arrived.ErrorCode, arrived.Error, arrived.MayRetry, arrived.LeavingMember, arrived.Action, arrived.SideEffects));
    }

    [Fact]
    public void Only_entity_messages_are_taken_and_an_unknown_type_name_is_refused()
    {
        var serializer = new ClusterMessageSerializer(TimeProvider.System);

        Assert.False(serializer.CanSerialize(new StringValue()));
        Assert.Throws<ArgumentException>(() => serializer.Deserialize(ByteString.Empty, "cloudstate_es.cluster.Unknown"));
    }
}
