using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using static Cloudstate.Es.Proxy.Tests.Json.JsonOracle;

namespace Cloudstate.Es.Proxy.Tests.Json;

/// <summary>JSON to wire bytes, feature by feature: the codec writes the bytes of the message JsonParser parses.</summary>
public sealed class JsonCodecParsingTests
{
    public static TheoryData<string> ScalarJson() =>
    [
        """{"fInt32": "1e2", "fInt64": 1e2, "fUint32": 1.0, "fSint32": -0, "fSint64": "-0"}""",
        """{"fInt32": -2147483648, "fInt64": "9223372036854775807", "fUint64": "18446744073709551615", "fSint64": "-9223372036854775808"}""",
        """{"fInt64": 9007199254740993, "fUint64": 1.5e3, "fFixed64": "1.5e3", "fSfixed64": -9223372036854775808}""",
        """{"fFixed32": 4294967295, "fSfixed32": "-2147483648", "fUint32": "4.294967295e9"}""",
        """{"fFloat": "NaN", "fDouble": "-Infinity"}""",
        """{"fFloat": 3.4028235e38, "fDouble": 1.7976931348623157e308}""",
        """{"fFloat": "1.17549435E-38", "fDouble": 5e-324}""",
        """{"fFloat": 0.1, "fDouble": "0.1"}""",
        """{"fFloat": -0.0, "fDouble": -0}""",
        """{"fBool": true, "fString": "\u00e9\ud83d\ude00\n\"\\\/", "fBytes": "+/8="}""",
        """{"fBytes": "AQ I=", "fString": ""}""",
        """{"fBytes": "", "fBool": false}""",
        """{"fEnum": "COLOR_INFRARED"}""",
        """{"fEnum": 42}""",
        """{"fEnum": -7.0}""",
        """{"f_int32": 5, "f_string": "proto names work too"}""",
        """{"fInt32": 1, "fInt32": 2, "f_int32": 3}""",
        """{"fInt32": 7, "fInt32": null, "fString": null, "fEnum": null}""",
        """{"f\u0049nt32": 8}""",
        """{}""",
    ];

    [Theory]
    [MemberData(nameof(ScalarJson))]
    public void Scalars_parse_as_the_oracle_parses_them(string json) => ParsesLikeOracle(Scalars.Descriptor, json);

    public static TheoryData<string, string> MessageJson() => new()
    {
        { "Optionals", """{"oDouble": -0.0, "oFloat": 0, "oInt32": 0, "oString": "", "oBytes": "", "oEnum": 0}""" },
        { "Optionals", """{"oNested": {}, "oBool": false}""" },
        { "Optionals", """{"oNested": null, "oUint64": null}""" },
        { "Repeated", """{"rInt32": [1, "2", -3], "rSint64": ["-1", 1], "rDouble": ["NaN", -0.0, 1e300], "rFloat": [-0.0]}""" },
        { "Repeated", """{"rInt32": [], "rString": [], "rNested": []}""" },
        { "Repeated", """{"rInt32": [1], "rInt32": [2, 3], "unpackedInt32": [4], "unpackedInt32": [5]}""" },
        { "Repeated", """{"rInt32": [1], "rInt32": null, "rEnum": ["COLOR_RED", 5, -7], "unpackedEnum": ["COLOR_BLUE", 0]}""" },
        { "Repeated", """{"rNested": [{}, {"id": 1, "children": [{"name": "x"}]}], "rBytes": ["", "AA=="], "rBool": [true, false]}""" },
        { "Repeated", """{"unpackedDouble": [0, -0.0, "Infinity"], "rFixed64": ["0", 1], "rSfixed32": [-1]}""" },
        { "Nested", """{"child": {"child": {"child": {"id": 3}}, "id": 2}, "id": 1}""" },
        { "Nested", """{"child": {"id": 1}, "child": {"name": "the later one replaces, it does not merge"}}""" },
        { "Oneofs", """{"number": 0}""" },
        { "Oneofs", """{"text": "", "flag": false}""" },
        { "Oneofs", """{"nested": {}, "big": "0"}""" },
        { "Oneofs", """{"when": "1970-01-01T00:00:00Z", "between": "b"}""" },
        { "Oneofs", """{"color": "COLOR_UNSPECIFIED", "flag": null}""" },
        { "Oneofs", """{"blob": null, "between": ""}""" },
        { "JsonNames", """{"customName": 1, "ALLCAPS": "x", "plainField": 2, "fieldWith3Digits": 3}""" },
        { "JsonNames", """{"renamed": 1, "snake_case_name": "y", "plain_field": 2, "field_with_3_digits": 3}""" },
        { "Maps", """{"int32Keys": {"-1": "a", "0": "", "1e1": "x", "2.0": "y"}, "int64Keys": {"-9223372036854775808": 0}}""" },
        { "Maps", """{"uint32Keys": {"4294967295": "18446744073709551615"}, "uint64Keys": {"18446744073709551615": true, "0": false}}""" },
        { "Maps", """{"sint32Keys": {"-0": -0.0, "5": "NaN"}, "sint64Keys": {"-0.0": -0.0, "1": 0}, "fixed32Keys": {"1": "", "2": "AQ=="}}""" },
        { "Maps", """{"fixed64Keys": {"1": "COLOR_RED", "2": 7, "3": 0}, "sfixed32Keys": {"-1": {}, "0": {"id": 1}}, "sfixed64Keys": {"0": "0"}}""" },
        { "Maps", """{"boolKeys": {"true": "t", "false": "f"}, "stringKeys": {"": "", "a": "b", "<\u00e9>": "c"}}""" },
        { "Maps", """{"stringKeys": {"a": "1", "b": "2", "a": "3"}, "stringKeys": {"b": "4", "c": "5"}}""" },
        { "Maps", """{"stringKeys": {"a": "1"}, "stringKeys": null, "stringToEnum": {"x": "COLOR_INFRARED", "y": 0}}""" },
        { "Maps", """{"stringToValue": {"n": null, "l": [1, "x", {"y": null}, []], "s": {}}, "stringToWrapper": {"z": 0, "m": -1}}""" },
        { "Maps", """{"stringToMessage": {"k": {}, "j": {"child": {}}}, "stringToTimestamp": {"t": "1972-01-01T10:00:20.021+01:30"}}""" },
        { "WellKnown", """{"timestamp": "1972-01-01T10:00:20.021Z", "duration": "-0.5s"}""" },
        { "WellKnown", """{"timestamp": "1970-01-01T00:00:00.123456789-08:00", "duration": "315576000000.999999999s"}""" },
        { "WellKnown", """{"timestamp": "2000-02-29T23:59:59.1+18:00", "duration": "-315576000000s"}""" },
        { "WellKnown", """{"timestamp": "0001-01-01T00:00:00Z", "timestamps": ["9999-12-31T23:59:59.999999999Z", "1972-01-01T10:00:20Z\n"]}""" },
        { "WellKnown", """{"durations": ["0s", "1.000000001s", "-0.000000001s", "5s\n"]}""" },
        { "WellKnown", """{"int32Value": 0, "int64Value": "0", "uint32Value": 1, "uint64Value": "18446744073709551615", "boolValue": false}""" },
        { "WellKnown", """{"floatValue": -0.0, "doubleValue": -0.0, "stringValue": "", "bytesValue": ""}""" },
        { "WellKnown", """{"doubleValue": "NaN", "int32Value": null, "stringValue": null}""" },
        { "WellKnown", """{"struct": {"a": [1, [2, []], {"b": {}}], "c": null, "d": "", "e": true, "f": -0.0}}""" },
        { "WellKnown", """{"struct": {"a": 1, "a": 2}, "value": null, "listValue": []}""" },
        { "WellKnown", """{"value": 1.5, "listValue": [null, 0, false, "", {}, []]}""" },
        { "WellKnown", """{"value": {"k": [1]}, "nullValue": null, "optionalNull": null, "empty": {}}""" },
        { "WellKnown", """{"nullValue": "NULL_VALUE", "nullValues": [null, "NULL_VALUE", 0], "optionalNull": 0}""" },
        { "WellKnown", """{"fieldMask": "fooBar,baz.quxQuux,,x1,GBike,gBike"}""" },
        { "WellKnown", """{"fieldMask": ""}""" },
        { "WellKnown", """{"any": {"id": 5, "@type": "type.googleapis.com/cloudstate.es.tests.json.Nested", "name": "after"}}""" },
        { "WellKnown", """{"any": {"@type": "type.googleapis.com/google.protobuf.Timestamp", "value": "1970-01-01T00:00:00Z"}}""" },
        { "WellKnown", """{"any": {"value": -1, "@type": "example.com/a/b/google.protobuf.Int32Value"}}""" },
        { "WellKnown", """{"any": {"@type": "type.googleapis.com/google.protobuf.Int32Value", "value": 0}}""" },
        { "WellKnown", """{"any": {"@type": "type.googleapis.com/google.protobuf.Any", "value": {"@type": "type.googleapis.com/google.protobuf.Empty", "value": {}}}}""" },
        { "WellKnown", """{"any": {"@type": "type.googleapis.com/cloudstate.es.tests.json.WellKnown", "any": {"@type": "type.googleapis.com/google.protobuf.Value", "value": null}}}""" },
        { "WellKnown", """{"any": {}, "anys": [{"x": "without @type an Any is empty"}, {"@type": "type.googleapis.com/google.protobuf.Struct", "value": {"a": 1}}]}""" },
        { "WellKnown", """{"anys": [{"@type": "type.googleapis.com/cloudstate.es.tests.json.Scalars"}, {"@type": "type.googleapis.com/google.protobuf.StringValue", "value": null}]}""" },
        { "WellKnown", """{"values": [null, 1, "a", true, {}, []], "int32Values": [0, 1], "stringValues": ["", "x"]}""" },
        { "google.protobuf.Timestamp", "\"1970-01-01T00:00:01Z\"" },
        { "google.protobuf.Duration", "\"-1.5s\"" },
        { "google.protobuf.Int32Value", "5" },
        { "google.protobuf.StringValue", "null" },
        { "google.protobuf.Value", "null" },
        { "google.protobuf.Struct", """{"a": {"b": [null]}}""" },
        { "google.protobuf.ListValue", "[1, [2]]" },
        { "google.protobuf.FieldMask", "\"a.b,c\"" },
        { "google.protobuf.Any", """{"@type": "type.googleapis.com/cloudstate.es.tests.json.Cart", "cartId": "c1", "items": [{"quantity": 2}]}""" },
    };

    [Theory]
    [MemberData(nameof(MessageJson))]
    public void Messages_parse_as_the_oracle_parses_them(string type, string json) => ParsesLikeOracle(Generated(type), json);

    [Fact]
    public void A_parsed_element_gives_the_same_bytes_as_text()
    {
        const string json = """{"nested": {"id": 1, "children": [{"name": "x"}]}, "maps": {"boolKeys": {"true": "t"}}}""";
        using var document = JsonDocument.Parse(json);
        Assert.Equal(OracleWire(Everything.Descriptor, json), Codec.ToWire(Runtime(Everything.Descriptor), document.RootElement));
    }

    [Fact]
    public void Nesting_up_to_the_recursion_limit_parses_and_deeper_is_refused()
    {
        ParsesLikeOracle(Nested.Descriptor, Formatter.Format(JsonCodecWireTests.Chain(100)));
        var error = Rejects(Nested.Descriptor, Formatter.Format(JsonCodecWireTests.Chain(101)));
        Assert.Contains("nest deeper than 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_safe_and_unpadded_base64_are_accepted_as_the_proto3_mapping_allows_though_JsonParser_refuses_them()
    {
        const string json = """{"fBytes": "-_8"}""";
        Assert.ThrowsAny<Exception>(() => Parser.Parse(json, Scalars.Descriptor));
        Assert.Equal(new Scalars { FBytes = Google.Protobuf.ByteString.CopyFrom(0xfb, 0xff) }, Scalars.Parser.ParseFrom(CodecWire(Scalars.Descriptor, json)));
    }
}
