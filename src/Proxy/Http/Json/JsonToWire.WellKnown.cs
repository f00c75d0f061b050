using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Google.Protobuf;

namespace Cloudstate.Es.Proxy.Http.Json;

internal sealed partial class JsonToWire
{
    private void Timestamp(MessagePlan plan, JsonElement json)
    {
        var text = Text(plan, json);
        if (!WellKnownText.TryParseTimestamp(text, out var seconds, out var nanos))
        {
            throw path.Error($"{Describe(json)} is not a timestamp in RFC 3339 form, such as 1972-01-01T10:00:20.021Z");
        }

        SecondsAndNanos(seconds, nanos);
    }

    private void Duration(MessagePlan plan, JsonElement json)
    {
        var text = Text(plan, json);
        if (!WellKnownText.TryParseDuration(text, out var seconds, out var nanos))
        {
            throw path.Error($"{Describe(json)} is not a duration such as 1.5s, of at most 315576000000 seconds");
        }

        SecondsAndNanos(seconds, nanos);
    }

    private void SecondsAndNanos(long seconds, int nanos)
    {
        if (seconds != 0)
        {
            output.Tag(1, WireFormat.WireType.Varint);
            output.Varint((ulong)seconds);
        }

        if (nanos != 0)
        {
            output.Tag(2, WireFormat.WireType.Varint);
            output.Varint((ulong)(long)nanos);
        }
    }

    /// <summary>Comma-separated lowerCamelCase paths, each written in snake_case; empty paths are dropped.</summary>
    private void FieldMask(MessagePlan plan, JsonElement json)
    {
        var text = Text(plan, json);
        var snake = ArrayPool<byte>.Shared.Rent(text.Length * 2);
        try
        {
            foreach (var range in text.Split((byte)','))
            {
                var camel = text[range];
                if (camel.IsEmpty)
                {
                    continue;
                }

                var length = WellKnownText.SnakeCase(camel, snake);
                if (length < 0)
                {
                    throw path.Error($"the field mask path '{System.Text.Encoding.UTF8.GetString(camel)}' has an underscore; JSON paths are lowerCamelCase");
                }

                output.Tag(1, WireFormat.WireType.LengthDelimited);
                output.LengthDelimited(snake.AsSpan(0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(snake);
        }
    }

    private ReadOnlySpan<byte> Text(MessagePlan plan, JsonElement json) =>
        json.ValueKind == JsonValueKind.String ? Utf8(json) : throw path.Error($"{Describe(json)} is not a string, as {plan.FullName} needs");

    private void Struct(MessagePlan plan, JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw path.Error($"{Describe(json)} is not an object, as google.protobuf.Struct needs");
        }

        Map(plan.Fields[0], new ReadOnlySpan<JsonElement>(in json));
    }

    private void ListValue(MessagePlan plan, JsonElement json) =>
        Repeated(plan.Fields[0], new ReadOnlySpan<JsonElement>(in json));

    /// <summary>A google.protobuf.Value: the member of its kind oneof that matches the JSON value.</summary>
    private void Value(MessagePlan plan, JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Null:
                output.Tag(1, WireFormat.WireType.Varint);
                output.Varint(0);
                break;
            case JsonValueKind.Number:
                output.Tag(2, WireFormat.WireType.Fixed64);
                output.Fixed64(BitConverter.DoubleToUInt64Bits(Number(json)));
                break;
            case JsonValueKind.String:
                output.Tag(3, WireFormat.WireType.LengthDelimited);
                output.LengthDelimited(Utf8(json));
                break;
            case JsonValueKind.True or JsonValueKind.False:
                output.Tag(4, WireFormat.WireType.Varint);
                output.Varint(json.ValueKind == JsonValueKind.True ? 1UL : 0UL);
                break;
            default:
                var field = plan.Fields[json.ValueKind == JsonValueKind.Object ? 4 : 5];
                output.Tag(field.Number, WireFormat.WireType.LengthDelimited);
                var mark = output.BeginLength();
                Message(field.Message, json);
                output.EndLength(mark);
                break;
        }
    }

    /// <summary>A wrapper message on its own (at the top or in an Any): its value, or nothing for null or the default.</summary>
    private void Wrapper(MessagePlan plan, JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Null)
        {
            Scalar(plan.Fields[0], json, Defaults.Numeric, tagged: true);
        }
    }

    /// <summary>
    /// An Any: the "@type" property (anywhere in the object) names the type; the other properties are the message's
    /// fields, or a single "value" property for a well-known type. Without "@type" the Any is empty, as in JsonParser.
    /// </summary>
    private void Any(MessagePlan plan, JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw path.Error($"{Describe(json)} is not an object, as google.protobuf.Any needs");
        }

        var typeIndex = -1;
        var index = 0;
        JsonElement typeUrl = default;
        foreach (var property in json.EnumerateObject())
        {
            if (IsNamed(property, "@type"u8))
            {
                typeIndex = index;
                typeUrl = property.Value;
                break;
            }

            index++;
        }

        if (typeIndex < 0)
        {
            return;
        }

        path.Push("@type");
        var url = typeUrl.ValueKind == JsonValueKind.String ? Utf8(typeUrl) : throw path.Error($"{Describe(typeUrl)} is not a type URL string");
        var slash = url.LastIndexOf((byte)'/');
        if (slash < 0 || slash == url.Length - 1)
        {
            throw path.Error($"{Describe(typeUrl)} is not a type URL such as type.googleapis.com/com.example.Cart");
        }

        if (!anyTypes.TryFind(url[(slash + 1)..], out var type))
        {
            throw path.Error($"the type URL {Describe(typeUrl)} names a type the codec was not given");
        }

        output.Tag(1, WireFormat.WireType.LengthDelimited);
        output.LengthDelimited(url);
        path.Pop();

        var tagStart = output.Length;
        output.Tag(2, WireFormat.WireType.LengthDelimited);
        var mark = output.BeginLength();
        var body = plans.For(type);
        if (body.ShownAsValueInAny)
        {
            WellKnownAnyBody(body, json, typeIndex);
        }
        else
        {
            Enter();
            Object(body, json, skip: typeIndex);
            depth--;
        }

        if (output.Length == mark + 1)
        {
            // An empty body is the default bytes value, which is not written.
            output.Length = tagStart;
            return;
        }

        output.EndLength(mark);
    }

    private void WellKnownAnyBody(MessagePlan body, JsonElement json, int typeIndex)
    {
        var index = -1;
        var seen = false;
        foreach (var property in json.EnumerateObject())
        {
            if (++index == typeIndex)
            {
                continue;
            }

            if (seen || !IsNamed(property, "value"u8))
            {
                throw path.Error($"an Any of {body.FullName} has only '@type' and 'value', not '{JsonPath.NameOf(property)}'");
            }

            seen = true;
            path.Push("value");
            Message(body, property.Value);
            path.Pop();
        }

        if (!seen)
        {
            throw path.Error($"an Any of {body.FullName} needs a 'value' property");
        }
    }

    private bool IsNamed(JsonProperty property, ReadOnlySpan<byte> name)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        return raw.IndexOf((byte)'\\') < 0 ? raw.SequenceEqual(name) : System.Text.Encoding.UTF8.GetBytes(PropertyName(property)).AsSpan().SequenceEqual(name);
    }
}
