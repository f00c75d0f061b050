using Google.Protobuf;
using static Cloudstate.Es.Proxy.Tests.Json.JsonOracle;

namespace Cloudstate.Es.Proxy.Tests.Json;

/// <summary>Hand-made wire bytes show as the message Google.Protobuf parses from them; malformed bytes are refused with a path.</summary>
public sealed class JsonCodecWireTests
{
    [Fact]
    public void Packed_fields_may_arrive_unpacked_and_unpacked_fields_packed()
    {
        var wire = Wire(o =>
        {
            o.WriteTag(Repeated.RInt32FieldNumber, WireFormat.WireType.Varint);
            o.WriteInt32(5);
            o.WriteTag(Repeated.RInt32FieldNumber, WireFormat.WireType.Varint);
            o.WriteInt32(-1);
            o.WriteTag(Repeated.UnpackedInt32FieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(1, 2, 3));
            o.WriteTag(Repeated.RFixed32FieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(1, 0, 0, 0, 2, 0, 0, 0));
            o.WriteTag(Repeated.RFixed32FieldNumber, WireFormat.WireType.Fixed32);
            o.WriteFixed32(3);
            o.WriteTag(Repeated.REnumFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.Empty);
        });
        Assert.Equal(
            "{ \"rInt32\": [ 5, -1 ], \"rFixed32\": [ 1, 2, 3 ], \"unpackedInt32\": [ 1, 2, 3 ] }",
            FormatsWireLikeOracle(Repeated.Descriptor, wire));
    }

    [Fact]
    public void The_last_value_of_a_singular_field_counts() => FormatsWireLikeOracle(Scalars.Descriptor, Wire(o =>
    {
        o.WriteTag(Scalars.FInt32FieldNumber, WireFormat.WireType.Varint);
        o.WriteInt32(1);
        o.WriteTag(Scalars.FStringFieldNumber, WireFormat.WireType.LengthDelimited);
        o.WriteString("first");
        o.WriteTag(Scalars.FInt32FieldNumber, WireFormat.WireType.Varint);
        o.WriteInt32(0);
        o.WriteTag(Scalars.FStringFieldNumber, WireFormat.WireType.LengthDelimited);
        o.WriteString("second");
    }));

    [Fact]
    public void Occurrences_of_a_message_field_merge()
    {
        var wire = Wire(o =>
        {
            o.WriteTag(Everything.NestedFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteMessage(new Nested { Id = 1, Name = "a", Children = { new Nested { Id = 10 } } });
            o.WriteTag(Everything.WellKnownFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteMessage(new WellKnown { Timestamp = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = 5 } });
            o.WriteTag(Everything.NestedFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteMessage(new Nested { Name = "b", Child = new Nested { Id = 2 }, Children = { new Nested { Id = 11 } } });
            o.WriteTag(Everything.WellKnownFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteMessage(new WellKnown { Timestamp = new Google.Protobuf.WellKnownTypes.Timestamp { Nanos = 7_000_000 } });
        });
        Assert.Equal(
            "{ \"nested\": { \"id\": 1, \"name\": \"b\", \"child\": { \"id\": 2 }, \"children\": [ { \"id\": 10 }, { \"id\": 11 } ] }, " +
            "\"wellKnown\": { \"timestamp\": \"1970-01-01T00:00:05.007Z\" } }",
            FormatsWireLikeOracle(Everything.Descriptor, wire));
    }

    [Fact]
    public void The_last_oneof_member_counts_and_only_its_final_run_merges()
    {
        var wire = Wire(o =>
        {
            o.WriteTag(Oneofs.NestedFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteMessage(new Nested { Id = 1 });
            o.WriteTag(Oneofs.TextFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteString("x");
            o.WriteTag(Oneofs.NestedFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteMessage(new Nested { Name = "n" });
            o.WriteTag(Oneofs.FlagFieldNumber, WireFormat.WireType.Varint);
            o.WriteBool(true);
            o.WriteTag(Oneofs.NestedFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteMessage(new Nested { Id = 2 });
            o.WriteTag(Oneofs.BigFieldNumber, WireFormat.WireType.Varint);
            o.WriteUInt64(0);
        });
        Assert.Equal("{ \"nested\": { \"id\": 2, \"name\": \"n\" }, \"big\": \"0\" }", FormatsWireLikeOracle(Oneofs.Descriptor, wire));
    }

    [Fact]
    public void A_map_key_seen_again_keeps_its_first_place_and_takes_the_later_value()
    {
        var wire = Wire(o =>
        {
            foreach (var (key, value) in new[] { ("a", "1"), ("b", "2"), ("a", "3") })
            {
                o.WriteTag(Maps.StringKeysFieldNumber, WireFormat.WireType.LengthDelimited);
                o.WriteBytes(Bytes(e =>
                {
                    e.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    e.WriteString(key);
                    e.WriteTag(2, WireFormat.WireType.LengthDelimited);
                    e.WriteString(value);
                }));
            }

            // Entries missing their key or value, which read as defaults (an empty message for a message value).
            o.WriteTag(Maps.StringToMessageFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.Empty);
            o.WriteTag(Maps.Sint32KeysFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(Bytes(e =>
            {
                e.WriteTag(1, WireFormat.WireType.Varint);
                e.WriteSInt32(-3);
            }));
        });
        Assert.Equal(
            "{ \"sint32Keys\": { \"-3\": 0 }, \"stringKeys\": { \"a\": \"3\", \"b\": \"2\" }, \"stringToMessage\": { \"\": { } } }",
            FormatsWireLikeOracle(Maps.Descriptor, wire));
    }

    [Fact]
    public void Unknown_fields_and_fields_of_the_wrong_wire_type_are_skipped() => Assert.Equal(
        "{ \"fInt32\": 4 }",
        FormatsWireLikeOracle(Scalars.Descriptor, Wire(o =>
        {
            o.WriteTag(99, WireFormat.WireType.Varint);
            o.WriteInt64(-1);
            o.WriteTag(98, WireFormat.WireType.Fixed64);
            o.WriteFixed64(1);
            o.WriteTag(97, WireFormat.WireType.LengthDelimited);
            o.WriteString("unknown");
            o.WriteTag(96, WireFormat.WireType.StartGroup);
            o.WriteTag(1, WireFormat.WireType.Varint);
            o.WriteInt32(1);
            o.WriteTag(96, WireFormat.WireType.EndGroup);
            o.WriteTag(Scalars.FInt32FieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteString("wrong wire type");
            o.WriteTag(Scalars.FStringFieldNumber, WireFormat.WireType.Varint);
            o.WriteInt32(5);
            o.WriteTag(Scalars.FInt32FieldNumber, WireFormat.WireType.Varint);
            o.WriteInt32(4);
        })));

    [Fact]
    public void A_wrapper_field_keeps_its_value_unless_a_later_occurrence_is_not_the_default()
    {
        var wire = Wire(o =>
        {
            foreach (var value in new[] { 5, 0, 7, 0 })
            {
                o.WriteTag(WellKnown.Int32ValueFieldNumber, WireFormat.WireType.LengthDelimited);
                o.WriteMessage(new Google.Protobuf.WellKnownTypes.Int32Value { Value = value });
            }
        });
        Assert.Equal("{ \"int32Value\": 7 }", FormatsWireLikeOracle(WellKnown.Descriptor, wire));
    }

    [Fact]
    public void Nesting_up_to_the_recursion_limit_is_shown_and_deeper_is_refused()
    {
        FormatsWireLikeOracle(Nested.Descriptor, Chain(100).ToByteArray());
        Assert.Contains("nest deeper than 100", RejectsWire(Nested.Descriptor, Chain(101).ToByteArray()).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[], string> MalformedWire() => new()
    {
        { "a tag without its value", [0x08], "$: the message is truncated" },
        { "a length past the end", [0x72, 0x05, 0x41], "$: the message is truncated" },
        { "wire type 7", [0x0f], "$: field 1 has the invalid wire type 7" },
        { "field number 0", [0x00, 0x01], "$: a field has the invalid number 0" },
        { "an end-group tag without a start", [0x0c], "$: an end-group tag has no start" },
        { "an unfinished group", [0x0b, 0x08, 0x01], "$: the message is truncated" },
        { "an eleven-byte varint", [0x08, .. Enumerable.Repeat((byte)0xff, 10), 0x01], "$: a varint is longer than 10 bytes" },
        { "a string that is not UTF-8", [0x72, 0x01, 0xff], "$.fString: a string is not valid UTF-8" },
        { "a packed fixed32 run of five bytes", [0x3a, 0x05, 1, 0, 0, 0, 2], "$.rFixed32: the message is truncated" },
    };

    [Theory]
    [MemberData(nameof(MalformedWire))]
    public void Malformed_wire_bytes_are_refused(string why, byte[] wire, string message)
    {
        Assert.NotEmpty(why);
        var scalarsOrRepeated = wire[0] == 0x3a ? Repeated.Descriptor : Scalars.Descriptor;
        Assert.Equal(message, RejectsWire(scalarsOrRepeated, wire).Message);
    }

    [Fact]
    public void A_string_that_a_later_value_replaces_must_still_be_UTF_8()
    {
        byte[] invalid = [0xc3, 0x28];
        Assert.Equal("$.fString: a string is not valid UTF-8", RejectsWire(Scalars.Descriptor, Wire(o =>
        {
            o.WriteTag(Scalars.FStringFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(invalid));
            o.WriteTag(Scalars.FStringFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteString("valid");
        })).Message);
        Assert.Equal("$.text: a string is not valid UTF-8", RejectsWire(Oneofs.Descriptor, Wire(o =>
        {
            o.WriteTag(Oneofs.TextFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(invalid));
            o.WriteTag(Oneofs.NumberFieldNumber, WireFormat.WireType.Varint);
            o.WriteInt32(1);
        })).Message);
    }

    [Fact]
    public void An_error_inside_a_nested_message_names_its_path()
    {
        var wire = Wire(o =>
        {
            o.WriteTag(Everything.RepeatedFieldNumber, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(Bytes(r =>
            {
                r.WriteTag(Repeated.RNestedFieldNumber, WireFormat.WireType.LengthDelimited);
                r.WriteMessage(new Nested { Id = 1 });
                r.WriteTag(Repeated.RNestedFieldNumber, WireFormat.WireType.LengthDelimited);
                r.WriteBytes(ByteString.CopyFrom(0x12, 0x01, 0xc3));
            }));
        });
        Assert.Equal("$.repeated.rNested[1].name: a string is not valid UTF-8", RejectsWire(Everything.Descriptor, wire).Message);
    }

    [Fact]
    public void Well_known_values_that_JSON_cannot_show_are_refused()
    {
        Assert.StartsWith("$.timestamp: ", Refused(new WellKnown { Timestamp = new() { Seconds = 253402300800 } }), StringComparison.Ordinal);
        Assert.StartsWith("$.timestamp: ", Refused(new WellKnown { Timestamp = new() { Nanos = -1 } }), StringComparison.Ordinal);
        Assert.StartsWith("$.duration: ", Refused(new WellKnown { Duration = new() { Seconds = 1, Nanos = -1 } }), StringComparison.Ordinal);
        Assert.StartsWith("$.fieldMask: ", Refused(new WellKnown { FieldMask = new() { Paths = { "fooBar" } } }), StringComparison.Ordinal);
        Assert.StartsWith("$.struct: ", Refused(new WellKnown { Struct = new() { Fields = { [""] = Google.Protobuf.WellKnownTypes.Value.ForNull() } } }), StringComparison.Ordinal);
        Assert.Equal("$.value: a google.protobuf.Value has no kind set", Refused(new WellKnown { Value = new() }));
        Assert.StartsWith("$.any: ", Refused(new WellKnown { Any = new() { TypeUrl = "type.googleapis.com/foo.Bar" } }), StringComparison.Ordinal);
        Assert.StartsWith("$.anys[0]: ", Refused(new WellKnown { Anys = { new Google.Protobuf.WellKnownTypes.Any { TypeUrl = "cloudstate.es.tests.json.Nested" } } }), StringComparison.Ordinal);

        static string Refused(WellKnown message) => RejectsWire(WellKnown.Descriptor, message.ToByteArray()).Message;
    }

    internal static Nested Chain(int levels)
    {
        var nested = new Nested { Id = levels };
        for (var i = levels - 1; i >= 0; i--)
        {
            nested = new Nested { Id = i, Child = nested };
        }

        return nested;
    }

    private static ByteString Bytes(Action<CodedOutputStream> write) => ByteString.CopyFrom(Wire(write));

    private static byte[] Wire(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }
}
