using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>UTF-8 JSON text in a pooled buffer, with values spelled exactly as Google.Protobuf's JsonFormatter spells them.</summary>
internal sealed partial class JsonOutput : IDisposable
{
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(1024);
    private int length;

    /// <summary>The bytes written so far; setting a smaller value takes back what followed.</summary>
    public int Length
    {
        get => length;
        set => length = value;
    }

    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, length);

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        length += bytes.Length;
    }

    public void Raw(byte b)
    {
        Reserve(1)[0] = b;
        length++;
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
        length += written;
        Raw((byte)'"');
    }

    public byte[] ToArray() => Written.ToArray();

    public override string ToString() => Encoding.UTF8.GetString(Written);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

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
        length += written;
        if (quoted)
        {
            Raw((byte)'"');
        }
    }

    /// <summary>A span of at least <paramref name="size"/> free bytes after what is written.</summary>
    private Span<byte> Reserve(int size)
    {
        if (buffer.Length - length < size)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + size));
            buffer.AsSpan(0, length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        return buffer.AsSpan(length);
    }
}
