using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>UTF-8 JSON text in a pooled buffer, with values spelled exactly as Google.Protobuf's JsonFormatter spells them.</summary>
internal sealed partial class JsonOutput : PooledBytes
{
    public void Raw(byte b)
    {
        Reserve(1)[0] = b;
        Advance(1);
    }

    public void Null() => Raw("null"u8);

    public void Bool(bool value) => Raw(value ? "true"u8 : "false"u8);

    public void Int32(int value) => Format(value, quoted: false);

    public void UInt32(uint value) => Format(value, quoted: false);

    /// <summary>64-bit integers are strings in proto3 JSON.</summary>
    public void Int64(long value) => Format(value, quoted: true);

    public void UInt64(ulong value) => Format(value, quoted: true);

    public void Double(double value)
    {
        if (double.IsFinite(value))
        {
            Format(value, quoted: false);
        }
        else
        {
            Raw(double.IsNaN(value) ? "\"NaN\""u8 : value > 0 ? "\"Infinity\""u8 : "\"-Infinity\""u8);
        }
    }

    public void Float(float value)
    {
        if (float.IsFinite(value))
        {
            Format(value, quoted: false);
        }
        else
        {
            Raw(float.IsNaN(value) ? "\"NaN\""u8 : value > 0 ? "\"Infinity\""u8 : "\"-Infinity\""u8);
        }
    }

    public void Base64(ReadOnlySpan<byte> bytes)
    {
        Raw((byte)'"');
        var size = System.Buffers.Text.Base64.GetMaxEncodedToUtf8Length(bytes.Length);
        System.Buffers.Text.Base64.EncodeToUtf8(bytes, Reserve(size), out _, out var written);
        Advance(written);
        Raw((byte)'"');
    }

    public override string ToString() => Encoding.UTF8.GetString(Written);

    // "r" and "d" with the invariant culture are what JsonFormatter uses; the UTF-8 overloads spell the same text.
    private void Format<T>(T value, bool quoted)
        where T : IUtf8SpanFormattable
    {
        if (quoted)
        {
            Raw((byte)'"');
        }

        var format = typeof(T) == typeof(double) || typeof(T) == typeof(float) ? "r" : "d";
        value.TryFormat(Reserve(64), out var written, format, CultureInfo.InvariantCulture);
        Advance(written);
        if (quoted)
        {
            Raw((byte)'"');
        }
    }
}
