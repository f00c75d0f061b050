using Cloudstate.Es.Proxy.Http.Json;
using static Cloudstate.Es.Proxy.Tests.Json.JsonOracle;

namespace Cloudstate.Es.Proxy.Tests.Json;

/// <summary>JSON that JsonParser refuses, the codec refuses too, with a message that starts with the JSON path of the offending value.</summary>
public sealed class JsonCodecRejectionTests
{
    public static TheoryData<string, string, string> Refused() => new()
    {
        // Unknown fields, at the top and deep down.
        { "Scalars", """{"foo": 1}""", "$: unknown field 'foo' in cloudstate.es.tests.json.Scalars" },
        { "Everything", """{"nested": {"children": [{}, {"bar": true}]}}""", "$.nested.children[1]: unknown field 'bar' in cloudstate.es.tests.json.Nested" },
        { "Scalars", """{"FInt32": 1}""", "$: unknown field 'FInt32' in cloudstate.es.tests.json.Scalars" },

        // Values of the wrong type.
        { "Scalars", """{"fBool": "true"}""", "$.fBool: 'true' is not a bool" },
        { "Scalars", """{"fBool": 1}""", "$.fBool: 1 is not a bool" },
        { "Scalars", """{"fInt32": {}}""", "$.fInt32: an object is not an int32" },
        { "Scalars", """{"fInt32": [1]}""", "$.fInt32: an array is not an int32" },
        { "Scalars", """{"fInt32": true}""", "$.fInt32: true is not an int32" },
        { "Scalars", """{"fString": 1}""", "$.fString: 1 is not a string" },
        { "Scalars", """{"fBytes": 1}""", "$.fBytes: 1 is not a bytes" },
        { "Everything", """{"repeated": {"rNested": [{}, {}, {"id": "abc"}]}}""", "$.repeated.rNested[2].id: 'abc' is not an int32" },
        { "Everything", """{"nested": 5}""", "$.nested: 5 is not an object, as cloudstate.es.tests.json.Nested needs" },

        // Numbers that are not whole, out of range or spelled as JsonParser does not allow.
        { "Scalars", """{"fInt32": 1.5}""", "$.fInt32: 1.5 is not an integer, as an int32 needs" },
        { "Scalars", """{"fInt32": 3000000000}""", "$.fInt32: 3000000000 is out of range for an int32" },
        { "Scalars", """{"fInt32": "3000000000"}""", "$.fInt32: '3000000000' is not an int32" },
        { "Scalars", """{"fUint32": -1}""", "$.fUint32: -1 is out of range for a uint32" },
        { "Scalars", """{"fInt64": 9223372036854775807}""", "$.fInt64: 9223372036854775807 is out of range for an int64" },
        { "Scalars", """{"fUint64": "-1"}""", "$.fUint64: '-1' is not a uint64" },
        { "Scalars", """{"fInt32": "01"}""", "$.fInt32: '01' is not an int32" },
        { "Scalars", """{"fInt32": "+1"}""", "$.fInt32: '+1' is not an int32" },
        { "Scalars", """{"fInt32": " 1"}""", "$.fInt32: ' 1' is not an int32" },
        { "Scalars", """{"fInt32": "1.5"}""", "$.fInt32: '1.5' is not an int32" },
        { "Scalars", """{"fFloat": 1e39}""", "$.fFloat: 1e39 is out of range for float" },
        { "Scalars", """{"fFloat": "1e39"}""", "$.fFloat: '1e39' is not a float" },
        { "Scalars", """{"fDouble": "infinity"}""", "$.fDouble: 'infinity' is not a double" },
        { "Scalars", """{"fDouble": "-NaN"}""", "$.fDouble: '-NaN' is not a double" },
        { "Scalars", """{"fDouble": 1e400}""", "$.fDouble: 1e400 is out of range for a JSON number" },
        { "Scalars", """{"fDouble": ""}""", "$.fDouble: '' is not a double" },

        // Strings, bytes and enums.
        { "Scalars", """{"fBytes": "*"}""", "$.fBytes: '*' is not base64" },
        { "Scalars", """{"fBytes": "AQI=="}""", "$.fBytes: 'AQI==' is not base64" },
        { "Scalars", """{"fBytes": "ZUMnfzISkA="}""", "$.fBytes: 'ZUMnfzISkA=' is not base64" },
        { "Scalars", """{"fString": "\ud800"}""", "$.fString: a string is not valid UTF-8 or escapes half of a surrogate pair" },
        { "Scalars", """{"f\ud800": 1}""", "$: the property name f\\ud800 escapes half of a surrogate pair" },
        { "Maps", """{"stringKeys": {"\udc00": "x"}}""", "$.stringKeys['\\\\udc00']: the property name \\udc00 escapes half of a surrogate pair" },
        { "Scalars", """{"fEnum": "COLOR_PURPLE"}""", "$.fEnum: 'COLOR_PURPLE' is not a value of enum cloudstate.es.tests.json.Color" },
        { "Scalars", """{"fEnum": "1"}""", "$.fEnum: '1' is not a value of enum cloudstate.es.tests.json.Color" },
        { "Scalars", """{"fEnum": 1.5}""", "$.fEnum: 1.5 is not an integer, as a value of enum cloudstate.es.tests.json.Color needs" },

        // Oneofs, repeated fields and maps.
        { "Oneofs", """{"number": 1, "text": "x"}""", "$: the oneof 'kind' of cloudstate.es.tests.json.Oneofs has more than one value" },
        { "Oneofs", """{"number": null, "text": "x"}""", "$: the oneof 'kind' of cloudstate.es.tests.json.Oneofs has more than one value" },
        { "Optionals", """{"oInt32": 1, "oInt32": 2}""", "$: the oneof '_o_int32' of cloudstate.es.tests.json.Optionals has more than one value" },
        { "Repeated", """{"rInt32": 1}""", "$.rInt32: 1 is not an array, as a repeated field needs" },
        { "Repeated", """{"rInt32": [1, null]}""", "$.rInt32[1]: null is not allowed in a repeated field" },
        { "Repeated", """{"rNested": [null]}""", "$.rNested[0]: null is not allowed in a repeated field" },
        { "Repeated", """{"rInt32": ["x"], "rInt32": null}""", "$.rInt32[0]: 'x' is not an int32" },
        { "Maps", """{"int32Keys": []}""", "$.int32Keys: an array is not an object, as a map needs" },
        { "Maps", """{"stringKeys": {"a": null}}""", "$.stringKeys.a: null is not allowed as a map value" },
        { "Maps", """{"boolKeys": {"yes": "x"}}""", "$.boolKeys.yes: 'yes' is not a map key of type bool" },
        { "Maps", """{"int32Keys": {"x y": "z"}}""", "$.int32Keys['x y']: 'x y' is not a map key of type int32" },
        { "Maps", """{"uint32Keys": {"01": 1}}""", "$.uint32Keys['01']: '01' is not a map key of type uint32" },
        { "Maps", """{"stringToMessage": {"m": {"id": "1.5"}}}""", "$.stringToMessage.m.id: '1.5' is not an int32" },

        // Well-known types.
        { "WellKnown", """{"timestamp": "1972-13-01T00:00:00Z"}""", "$.timestamp: '1972-13-01T00:00:00Z' is not a timestamp in RFC 3339 form, such as 1972-01-01T10:00:20.021Z" },
        { "WellKnown", """{"timestamp": "1972-01-01T00:00:00"}""", "$.timestamp: '1972-01-01T00:00:00' is not a timestamp" },
        { "WellKnown", """{"timestamp": "1972-01-01T00:00:00-00:00"}""", "$.timestamp: '1972-01-01T00:00:00-00:00' is not a timestamp" },
        { "WellKnown", """{"timestamp": "1972-01-01T00:00:00+18:01"}""", "$.timestamp: '1972-01-01T00:00:00+18:01' is not a timestamp" },
        { "WellKnown", """{"timestamp": "1972-02-30T00:00:00Z"}""", "$.timestamp: '1972-02-30T00:00:00Z' is not a timestamp" },
        { "WellKnown", """{"timestamp": "0000-01-01T00:00:00Z"}""", "$.timestamp: '0000-01-01T00:00:00Z' is not a timestamp" },
        { "WellKnown", """{"timestamp": "1972-01-01T24:00:00Z"}""", "$.timestamp: '1972-01-01T24:00:00Z' is not a timestamp" },
        { "WellKnown", """{"timestamp": "1972-01-01t00:00:00z"}""", "$.timestamp: '1972-01-01t00:00:00z' is not a timestamp" },
        { "WellKnown", """{"timestamp": "1972-01-01T00:00:00.1234567890Z"}""", "$.timestamp: '1972-01-01T00:00:00.1234567890Z' is not a timestamp" },
        { "WellKnown", """{"timestamp": "9999-12-31T23:59:59-01:00"}""", "$.timestamp: '9999-12-31T23:59:59-01:00' is not a timestamp" },
        { "WellKnown", """{"timestamp": 0}""", "$.timestamp: 0 is not a string, as google.protobuf.Timestamp needs" },
        { "WellKnown", """{"timestamps": ["1972-01-01T00:00:00Z", "x"]}""", "$.timestamps[1]: 'x' is not a timestamp" },
        { "WellKnown", """{"duration": "01s"}""", "$.duration: '01s' is not a duration such as 1.5s" },
        { "WellKnown", """{"duration": "1.5"}""", "$.duration: '1.5' is not a duration" },
        { "WellKnown", """{"duration": "315576000001s"}""", "$.duration: '315576000001s' is not a duration" },
        { "WellKnown", """{"duration": "1.1234567890s"}""", "$.duration: '1.1234567890s' is not a duration" },
        { "WellKnown", """{"fieldMask": "foo_bar"}""", "$.fieldMask: the field mask path 'foo_bar' has an underscore" },
        { "WellKnown", """{"struct": []}""", "$.struct: an array is not an object, as google.protobuf.Struct needs" },
        { "WellKnown", """{"listValue": {}}""", "$.listValue: an object is not an array, as a repeated field needs" },
        { "WellKnown", """{"struct": {"a": {"b": [1, {"c": 1e999}]}}}""", "$.struct.a.b[1].c: 1e999 is out of range for a JSON number" },
        { "WellKnown", """{"int32Value": "x"}""", "$.int32Value: 'x' is not an int32" },
        { "WellKnown", """{"int32Values": [1, null]}""", "$.int32Values[1]: null is not allowed in a repeated field" },

        // Any.
        { "WellKnown", """{"any": {"@type": "type.googleapis.com/foo.Bar"}}""", "$.any.@type: the type URL 'type.googleapis.com/foo.Bar' names a type the codec was not given" },
        { "WellKnown", """{"any": {"@type": "cloudstate.es.tests.json.Nested"}}""", "$.any.@type: 'cloudstate.es.tests.json.Nested' is not a type URL" },
        { "WellKnown", """{"any": {"@type": "type.googleapis.com/"}}""", "$.any.@type: 'type.googleapis.com/' is not a type URL" },
        { "WellKnown", """{"any": {"@type": 1}}""", "$.any.@type: 1 is not a type URL string" },
        { "WellKnown", """{"any": {"@type": "type.googleapis.com/cloudstate.es.tests.json.Nested", "nope": 1}}""", "$.any: unknown field 'nope' in cloudstate.es.tests.json.Nested" },
        { "WellKnown", """{"any": {"@type": "type.googleapis.com/google.protobuf.Timestamp"}}""", "$.any: an Any of google.protobuf.Timestamp needs a 'value' property" },
        { "WellKnown", """{"any": {"@type": "type.googleapis.com/google.protobuf.Timestamp", "value": "1970-01-01T00:00:00Z", "x": 1}}""", "$.any: an Any of google.protobuf.Timestamp has only '@type' and 'value', not 'x'" },
        { "WellKnown", """{"any": {"@type": "type.googleapis.com/google.protobuf.Duration", "value": "x"}}""", "$.any.value: 'x' is not a duration" },

        // The top of the document.
        { "Scalars", "[]", "$: an array is not an object, as cloudstate.es.tests.json.Scalars needs" },
        { "Scalars", "null", "$: null is not an object, as cloudstate.es.tests.json.Scalars needs" },
        { "google.protobuf.Timestamp", "null", "$: null is not a string, as google.protobuf.Timestamp needs" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Json_that_does_not_fit_is_refused_with_its_path(string type, string json, string message) =>
        Assert.StartsWith(message, Rejects(Generated(type), json).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("""{"fInt32": 1,}""")]
    [InlineData("""{"fInt32": }""")]
    [InlineData("""{"fInt32" 1}""")]
    [InlineData("""{"fInt32": 01}""")]
    [InlineData("""{"fString": "a""")]
    [InlineData("""{"fInt32": 1} {}""")]
    [InlineData("""{"fInt32": NaN}""")]
    [InlineData("""{"fInt32": 1} // comment""")]
    [InlineData("[")]
    [InlineData("")]
    public void Malformed_json_is_refused(string json)
    {
        var error = Rejects(Scalars.Descriptor, json);
        Assert.StartsWith("$", error.Message, StringComparison.Ordinal);
        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_UTF_8_are_refused()
    {
        byte[] json = [.. """{"fString": """u8, (byte)'"', 0xff, (byte)'"', (byte)'}'];
        var error = Assert.Throws<JsonCodecException>(() => Codec.ToWire(Runtime(Scalars.Descriptor), json));
        Assert.Equal("$.fString: a string is not valid UTF-8", error.Message);
    }
}
