using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http.Json;

internal sealed partial class JsonToWire
{
    // What JsonParser passes to the numeric Parse methods: no whitespace, no thousands separators.
    private const NumberStyles Numeric = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>When a scalar that equals its default is left out of the wire.</summary>
    private enum Defaults
    {
        /// <summary>Never: the field has presence, or it is an element of a repeated field.</summary>
        Written,

        /// <summary>Generated code compares with zero, so -0.0 counts as the default.</summary>
        Numeric,

        /// <summary>FieldCodec (map entries, wrapper fields) compares bits, so -0.0 is written.</summary>
        Bitwise,
    }

    /// <summary>Writes a scalar value, with its tag unless it belongs to a packed run.</summary>
    private void Scalar(FieldPlan field, JsonElement value, Defaults defaults, bool tagged)
    {
        if (field.Type is FieldType.String or FieldType.Bytes)
        {
            LengthDelimitedScalar(field, value, defaults);
            return;
        }

        var bits = Bits(field, value);
        if (defaults != Defaults.Written && (bits == 0 || (defaults == Defaults.Numeric && IsNegativeZero(field.Type, bits))))
        {
            return;
        }

        if (tagged)
        {
            output.Tag(field.Number, field.WireType);
        }

        switch (field.WireType)
        {
            case WireFormat.WireType.Fixed32: output.Fixed32((uint)bits); break;
            case WireFormat.WireType.Fixed64: output.Fixed64(bits); break;
            default: output.Varint(bits); break;
        }
    }

    private static bool IsNegativeZero(FieldType type, ulong bits) =>
        (type == FieldType.Double && bits == 0x8000_0000_0000_0000) || (type == FieldType.Float && bits == 0x8000_0000);

    private void LengthDelimitedScalar(FieldPlan field, JsonElement value, Defaults defaults)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw NotA(field, value);
        }

        if (field.Type == FieldType.String)
        {
            var text = Utf8(value);
            if (defaults == Defaults.Written || !text.IsEmpty)
            {
                output.Tag(field.Number, WireFormat.WireType.LengthDelimited);
                output.LengthDelimited(text);
            }

            return;
        }

        var encoded = Utf8(value);
        var decoded = ArrayPool<byte>.Shared.Rent((encoded.Length / 4 * 3) + 3);
        try
        {
            var length = Base64(encoded, decoded);
            if (length < 0)
            {
                throw path.Error($"{Describe(value)} is not base64");
            }

            if (defaults == Defaults.Written || length > 0)
            {
                output.Tag(field.Number, WireFormat.WireType.LengthDelimited);
                output.LengthDelimited(decoded.AsSpan(0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(decoded);
        }
    }

    /// <summary>Standard base64 as Convert.FromBase64String reads it (JsonParser's rule), else the URL-safe alphabet with or without padding.</summary>
    private static int Base64(ReadOnlySpan<byte> encoded, byte[] decoded)
    {
        var chars = ArrayPool<char>.Shared.Rent(encoded.Length);
        try
        {
            var length = Encoding.UTF8.GetChars(encoded, chars);
            if (Convert.TryFromBase64Chars(chars.AsSpan(0, length), decoded, out var written))
            {
                return written;
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }

        // Padding, when present, must be complete; the URL-safe decoder alone would accept a lone '='.
        var padded = encoded.TrimEnd((byte)'=').Length != encoded.Length;
        return (!padded || encoded.Length % 4 == 0)
            && System.Buffers.Text.Base64Url.DecodeFromUtf8(encoded, decoded, out _, out var urlWritten) == OperationStatus.Done
            ? urlWritten
            : -1;
    }

    /// <summary>The wire bits of a numeric, bool or enum value: the varint, or the little-endian fixed value.</summary>
    private ulong Bits(FieldPlan field, JsonElement value) => field.Type switch
    {
        FieldType.Int32 or FieldType.SFixed32 => field.WireType == WireFormat.WireType.Fixed32 ? (uint)Int32(field, value) : (ulong)(long)Int32(field, value),
        FieldType.SInt32 => ZigZag(Int32(field, value)),
        FieldType.UInt32 or FieldType.Fixed32 => UInt32(field, value),
        FieldType.Int64 or FieldType.SFixed64 => (ulong)Int64(field, value),
        FieldType.SInt64 => ZigZag(Int64(field, value)),
        FieldType.UInt64 or FieldType.Fixed64 => UInt64(field, value),
        FieldType.Double => BitConverter.DoubleToUInt64Bits(Double(field, value)),
        FieldType.Float => BitConverter.SingleToUInt32Bits(Float(field, value)),
        FieldType.Bool => value.ValueKind switch
        {
            JsonValueKind.True => 1,
            JsonValueKind.False => 0,
            _ => throw NotA(field, value),
        },
        FieldType.Enum => (ulong)(long)Enum(field, value),
        _ => throw NotA(field, value),
    };

    private static uint ZigZag(int n) => (uint)((n << 1) ^ (n >> 31));

    private static ulong ZigZag(long n) => (ulong)((n << 1) ^ (n >> 63));

    private int Int32(FieldPlan field, JsonElement value) =>
        value.ValueKind == JsonValueKind.String
            ? ParseText<int>(field, value)
            : (int)Integer(field, value, int.MinValue, int.MaxValue);

    private uint UInt32(FieldPlan field, JsonElement value) =>
        value.ValueKind == JsonValueKind.String
            ? ParseText<uint>(field, value)
            : (uint)Integer(field, value, 0, uint.MaxValue);

    private long Int64(FieldPlan field, JsonElement value) =>
        value.ValueKind == JsonValueKind.String
            ? ParseText<long>(field, value)
            : (long)Integer(field, value, -9.223372036854775808E18, 9.223372036854775807E18, upperExclusive: true);

    private ulong UInt64(FieldPlan field, JsonElement value) =>
        value.ValueKind == JsonValueKind.String
            ? ParseText<ulong>(field, value)
            : (ulong)Integer(field, value, 0, 1.8446744073709551615E19, upperExclusive: true);

    /// <summary>A JSON number for an integer field: JsonParser reads it as a double, so it must be whole and in range.</summary>
    private double Integer(FieldPlan field, JsonElement value, double min, double max, bool upperExclusive = false)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw NotA(field, value);
        }

        var number = Number(value);
        if (number != Math.Floor(number))
        {
            throw path.Error($"{Describe(value)} is not an integer, as {TypeName(field)} needs");
        }

        if (number < min || number > max || (upperExclusive && number == max))
        {
            throw path.Error($"{Describe(value)} is out of range for {TypeName(field)}");
        }

        return number;
    }

    private double Double(FieldPlan field, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => Number(value),
        JsonValueKind.String => ParseFloatingText<double>(field, value),
        _ => throw NotA(field, value),
    };

    private float Float(FieldPlan field, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                // Like JsonParser: the double, narrowed; a finite double that overflows a float is out of range.
                var number = Number(value);
                var narrowed = (float)number;
                return float.IsInfinity(narrowed) ? throw path.Error($"{Describe(value)} is out of range for float") : narrowed;
            case JsonValueKind.String:
                return ParseFloatingText<float>(field, value);
            default:
                throw NotA(field, value);
        }
    }

    private int Enum(FieldPlan field, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var name = Utf8(value);
                return field.Enum.ByName.TryGet(name, out var found, out _)
                    ? found.Number
                    : throw path.Error($"{Describe(value)} is not a value of enum {field.Enum.FullName}");
            case JsonValueKind.Number:
                // Numbers need not name a value: proto3 enums are open.
                return (int)Integer(field, value, int.MinValue, int.MaxValue);
            default:
                throw NotA(field, value);
        }
    }

    /// <summary>The double a JSON number token stands for; one too large for a double is out of range, as in JsonParser.</summary>
    private double Number(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var number = double.Parse(raw, Numeric, CultureInfo.InvariantCulture);
        return double.IsFinite(number) ? number : throw path.Error($"{Describe(value)} is out of range for a JSON number");
    }

    private T ParseText<T>(FieldPlan field, JsonElement value)
        where T : IBinaryInteger<T>
    {
        var text = Utf8(value);
        return IsPlainNumber(text) && T.TryParse(text, Numeric, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw NotA(field, value);
    }

    private T ParseFloatingText<T>(FieldPlan field, JsonElement value)
        where T : IFloatingPointIeee754<T>
    {
        var text = Utf8(value);
        if (!IsPlainNumber(text) || !T.TryParse(text, Numeric, CultureInfo.InvariantCulture, out var number))
        {
            throw NotA(field, value);
        }

        // Infinity and NaN only from their exact names, not from overflow or other spellings.
        var named = T.IsNaN(number) ? "NaN"u8 : T.IsPositiveInfinity(number) ? "Infinity"u8 : T.IsNegativeInfinity(number) ? "-Infinity"u8 : text;
        return text.SequenceEqual(named) ? number : throw NotA(field, value);
    }

    /// <summary>JsonParser's checks before number parsing: no '+' sign and no leading zeros.</summary>
    private static bool IsPlainNumber(ReadOnlySpan<byte> text) =>
        !(text.StartsWith("+"u8)
            || (text.Length > 1 && text[0] == '0' && char.IsAsciiDigit((char)text[1]))
            || (text.Length > 2 && text.StartsWith("-0"u8) && char.IsAsciiDigit((char)text[2])));

    /// <summary>The UTF-8 text of a JSON string, unescaped.</summary>
    private ReadOnlySpan<byte> Utf8(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return System.Text.Unicode.Utf8.IsValid(raw) ? raw : throw path.Error("a string is not valid UTF-8");
        }

        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw path.Error("a string is not valid UTF-8 or escapes half of a surrogate pair", e);
        }

        var size = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (scratch.Length < size)
        {
            ArrayPool<byte>.Shared.Return(scratch);
            scratch = ArrayPool<byte>.Shared.Rent(size);
        }

        return scratch.AsSpan(0, Encoding.UTF8.GetBytes(text, scratch));
    }

    private JsonCodecException NotA(FieldPlan field, JsonElement value) =>
        path.Error($"{Describe(value)} is not {TypeName(field)}");

    private static string TypeName(FieldPlan field) => field.Type switch
    {
        FieldType.Enum => $"a value of enum {field.Enum.FullName}",
        FieldType.Message => $"a {field.Descriptor.MessageType.FullName}",
        FieldType.Int32 or FieldType.Int64 => "an " + field.Type.ToString().ToLowerInvariant(),
        _ => "a " + field.Type.ToString().ToLowerInvariant(),
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => "'" + Shorten(value) + "'",
    };

    private static string Shorten(JsonElement value)
    {
        string text;
        try
        {
            text = value.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            text = value.GetRawText();
        }

        return text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 61), "...");
    }
}
