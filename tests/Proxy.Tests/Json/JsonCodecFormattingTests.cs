using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using static Cloudstate.Es.Proxy.Tests.Json.JsonOracle;

namespace Cloudstate.Es.Proxy.Tests.Json;

/// <summary>Wire bytes to JSON, feature by feature, each checked against JsonFormatter and spelled out where it helps.</summary>
public sealed class JsonCodecFormattingTests
{
    [Fact]
    public void An_empty_message_is_an_empty_object() => FormatsLikeOracle(new Scalars(), "{ }");

    [Fact]
    public void Sixty_four_bit_integers_are_strings_and_thirty_two_bit_ones_numbers() => FormatsLikeOracle(
        new Scalars { FInt32 = int.MinValue, FInt64 = long.MaxValue, FUint32 = uint.MaxValue, FUint64 = ulong.MaxValue, FSint64 = long.MinValue, FSfixed32 = -1 },
        "{ \"fInt32\": -2147483648, \"fInt64\": \"9223372036854775807\", \"fUint32\": 4294967295, \"fUint64\": \"18446744073709551615\", \"fSint64\": \"-9223372036854775808\", \"fSfixed32\": -1 }");

    [Fact]
    public void Floating_point_values_use_the_shortest_round_trip_text_and_name_non_finite_values() => FormatsLikeOracle(
        new Repeated
        {
            RDouble = { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.1, 1e20, 1e-7, double.Epsilon, double.MaxValue },
            RFloat = { 0.1f, float.MaxValue, -0f, float.NaN },
        },
        "{ \"rFloat\": [ 0.1, 3.4028235e+38, -0, \"NaN\" ], \"rDouble\": [ \"NaN\", \"Infinity\", \"-Infinity\", -0, 0.1, 1e+20, 1e-07, 5e-324, 1.7976931348623157e+308 ] }");

    [Fact]
    public void Negative_zero_is_a_default_unless_the_field_has_presence()
    {
        FormatsLikeOracle(new Scalars { FDouble = -0.0, FFloat = -0f }, "{ }");
        FormatsLikeOracle(new Optionals { ODouble = -0.0, OFloat = 0f }, "{ \"oFloat\": 0, \"oDouble\": -0 }");
    }

    [Fact]
    public void Strings_are_escaped_as_JsonFormatter_escapes_them() => FormatsLikeOracle(
        new Scalars { FString = "<>&'\"\\/\u2028\u00ad\ud83d\ude00\u0001\u007f\u0085\u00e9\u4e2d\t\ufeff" },
        "{ \"fString\": \"\\u003c\\u003e&'\\\"\\\\/\\u2028\\u00ad\\ud83d\\ude00\\u0001\\u007f\\u0085\u00e9\u4e2d\\t\\ufeff\" }");

    [Fact]
    public void Bytes_are_standard_base64_and_empty_bytes_show_when_present()
    {
        FormatsLikeOracle(new Scalars { FBytes = ByteString.CopyFrom(0xfb, 0xff) }, "{ \"fBytes\": \"+/8=\" }");
        FormatsLikeOracle(new Optionals { OBytes = ByteString.Empty, OString = "" }, "{ \"oString\": \"\", \"oBytes\": \"\" }");
    }

    [Fact]
    public void Enums_show_their_names_and_numbers_they_do_not_name() => FormatsLikeOracle(
        new Repeated { REnum = { Color.Red, (Color)42, Color.Infrared }, UnpackedEnum = { (Color)(-3) } },
        "{ \"rEnum\": [ \"COLOR_RED\", 42, \"COLOR_INFRARED\" ], \"unpackedEnum\": [ -3 ] }");

    [Fact]
    public void Fields_come_in_number_order_under_their_json_names() => FormatsLikeOracle(
        new JsonNames { FieldWith3Digits = 3, SnakeCaseName = "s", Renamed = 2, PlainField = 1 },
        "{ \"plainField\": 1, \"customName\": 2, \"ALLCAPS\": \"s\", \"fieldWith3Digits\": 3 }");

    [Fact]
    public void Oneof_members_and_optional_fields_show_even_with_default_values()
    {
        FormatsLikeOracle(new Oneofs { Number = 0, Flag = false }, "{ \"number\": 0, \"flag\": false }");
        FormatsLikeOracle(new Oneofs { Nested = new Nested() }, "{ \"nested\": { } }");
        FormatsLikeOracle(new Optionals { OInt32 = 0, OEnum = Color.Unspecified, ONested = new Nested() }, "{ \"oInt32\": 0, \"oEnum\": \"COLOR_UNSPECIFIED\", \"oNested\": { } }");
    }

    [Fact]
    public void Recursive_messages_nest()
    {
        var nested = new Nested { Id = 1 };
        for (var i = 2; i <= 5; i++)
        {
            nested = new Nested { Id = i, Child = nested, Children = { new Nested { Name = "leaf" } } };
        }

        FormatsLikeOracle(nested);
    }

    [Fact]
    public void Maps_of_every_key_type_have_string_keys()
    {
        var maps = new Maps
        {
            Int32Keys = { [-1] = "minus", [0] = "" },
            Int64Keys = { [long.MinValue] = 1 },
            Uint32Keys = { [uint.MaxValue] = ulong.MaxValue },
            Uint64Keys = { [ulong.MaxValue] = true, [0] = false },
            Sint32Keys = { [-5] = -0.5f },
            Sint64Keys = { [long.MaxValue] = double.NaN },
            Fixed32Keys = { [7] = ByteString.CopyFromUtf8("x") },
            Fixed64Keys = { [8] = Color.Blue, [9] = (Color)99 },
            Sfixed32Keys = { [-9] = new Nested { Id = 1 } },
            Sfixed64Keys = { [-10] = -1 },
            BoolKeys = { [true] = "yes", [false] = "no" },
            StringKeys = { ["<key>"] = "v", [""] = "empty" },
            StringToEnum = { ["e"] = Color.Infrared },
            StringToMessage = { ["m"] = new Nested() },
            StringToWrapper = { ["w"] = 0 },
            StringToValue = { ["n"] = Value.ForNull(), ["l"] = Value.ForList(Value.ForNumber(1), Value.ForString("a")) },
            StringToTimestamp = { ["t"] = new Timestamp { Seconds = 1 } },
        };
        FormatsLikeOracle(maps);
        Assert.Contains("\"boolKeys\": { \"true\": \"yes\", \"false\": \"no\" }", CodecJson(maps), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, "1970-01-01T00:00:00Z")]
    [InlineData(63108020, 21_000_000, "1972-01-01T10:00:20.021Z")]
    [InlineData(-1, 999_999_000, "1969-12-31T23:59:59.999999Z")]
    [InlineData(253402300799, 1, "9999-12-31T23:59:59.000000001Z")]
    [InlineData(-62135596800, 0, "0001-01-01T00:00:00Z")]
    public void Timestamps_have_zero_three_six_or_nine_fractional_digits(long seconds, int nanos, string expected) =>
        FormatsLikeOracle(new WellKnown { Timestamp = new Timestamp { Seconds = seconds, Nanos = nanos } }, $"{{ \"timestamp\": \"{expected}\" }}");

    [Theory]
    [InlineData(1, 500_000_000, "1.500s")]
    [InlineData(0, -500_000_000, "-0.500s")]
    [InlineData(-1, -1000, "-1.000001s")]
    [InlineData(0, 0, "0s")]
    [InlineData(315576000000, 999_999_999, "315576000000.999999999s")]
    public void Durations_are_seconds_with_zero_three_six_or_nine_fractional_digits(long seconds, int nanos, string expected) =>
        FormatsLikeOracle(new WellKnown { Duration = new Duration { Seconds = seconds, Nanos = nanos } }, $"{{ \"duration\": \"{expected}\" }}");

    [Fact]
    public void Field_masks_are_camel_case_paths_joined_by_commas() => FormatsLikeOracle(
        new WellKnown { FieldMask = new FieldMask { Paths = { "foo_bar", "baz.qux_quux", "x1" } }, Empty = new Empty() },
        "{ \"empty\": { }, \"fieldMask\": \"fooBar,baz.quxQuux,x1\" }");

    [Fact]
    public void Structs_values_and_lists_are_plain_JSON()
    {
        var inner = new Struct { Fields = { ["list"] = Value.ForList(Value.ForList(), Value.ForStruct(new Struct()), Value.ForNull()) } };
        FormatsLikeOracle(
            new WellKnown
            {
                Struct = new Struct { Fields = { ["a"] = Value.ForNumber(1.5), ["b"] = Value.ForStruct(inner), ["c"] = Value.ForBool(false), ["d"] = Value.ForNumber(double.NaN) } },
                Value = Value.ForNull(),
                ListValue = new ListValue(),
                Values = { Value.ForString("s"), Value.ForNull() },
                NullValues = { NullValue.NullValue },
                OptionalNull = NullValue.NullValue,
            },
            "{ \"struct\": { \"a\": 1.5, \"b\": { \"list\": [ [ ], { }, null ] }, \"c\": false, \"d\": \"NaN\" }, \"value\": null, \"listValue\": [ ], " +
            "\"values\": [ \"s\", null ], \"nullValues\": [ null ], \"optionalNull\": null }");
    }

    [Fact]
    public void Wrappers_show_their_value_even_when_it_is_the_default() => FormatsLikeOracle(
        new WellKnown { Int32Value = 0, Int64Value = 5, StringValue = "", BytesValue = ByteString.Empty, DoubleValue = -0.0, Int32Values = { 0, 1 } },
        "{ \"int32Value\": 0, \"int64Value\": \"5\", \"doubleValue\": -0, \"stringValue\": \"\", \"bytesValue\": \"\", \"int32Values\": [ 0, 1 ] }");

    [Fact]
    public void An_any_shows_a_message_inline_and_a_well_known_type_under_value()
    {
        FormatsLikeOracle(
            new WellKnown
            {
                Any = Any.Pack(new Nested { Id = 7, Name = "n" }),
                Anys =
                {
                    Any.Pack(new Timestamp { Seconds = 1 }),
                    Any.Pack(Any.Pack(new Int32Value { Value = 3 })),
                    new Any(),
                    Any.Pack(new Empty()),
                    Any.Pack(new Scalars()),
                },
            },
            "{ \"any\": { \"@type\": \"type.googleapis.com/cloudstate.es.tests.json.Nested\", \"id\": 7, \"name\": \"n\" }, \"anys\": [ " +
            "{ \"@type\": \"type.googleapis.com/google.protobuf.Timestamp\", \"value\": \"1970-01-01T00:00:01Z\" }, " +
            "{ \"@type\": \"type.googleapis.com/google.protobuf.Any\", \"value\": { \"@type\": \"type.googleapis.com/google.protobuf.Int32Value\", \"value\": 3 } }, " +
            "{ }, { \"@type\": \"type.googleapis.com/google.protobuf.Empty\", \"value\": { } }, { \"@type\": \"type.googleapis.com/cloudstate.es.tests.json.Scalars\" } ] }");
    }

    [Fact]
    public void A_well_known_type_at_the_top_has_its_special_form()
    {
        FormatsLikeOracle(new Timestamp { Seconds = 1, Nanos = 5_000_000 }, "\"1970-01-01T00:00:01.005Z\"");
        FormatsLikeOracle(new Int64Value { Value = -1 }, "\"-1\"");
        FormatsLikeOracle(Value.ForStruct(new Struct { Fields = { ["k"] = Value.ForNull() } }), "{ \"k\": null }");
        FormatsLikeOracle(new FieldMask(), "\"\"");
        FormatsLikeOracle(new Any(), "{ }");
    }
}
