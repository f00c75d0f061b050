using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>Protobuf wire bytes in a pooled buffer; nested messages reserve their length and patch it when they end.</summary>
internal sealed class WireWriter : IDisposable
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

    public void Tag(int fieldNumber, Google.Protobuf.WireFormat.WireType wireType) =>
        Varint(((uint)fieldNumber << 3) | (uint)wireType);

    public void Varint(ulong value)
    {
        var span = Reserve(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        length += i;
    }

    public void Fixed32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);
        length += 4;
    }

    public void Fixed64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);
        length += 8;
    }

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        length += bytes.Length;
    }

    public void LengthDelimited(ReadOnlySpan<byte> bytes)
    {
        Varint((uint)bytes.Length);
        Raw(bytes);
    }

    public void LengthDelimited(string text)
    {
        var size = Encoding.UTF8.GetByteCount(text);
        Varint((uint)size);
        Encoding.UTF8.GetBytes(text, Reserve(size));
        length += size;
    }

    /// <summary>Reserves one byte for a length; pass the result to <see cref="EndLength"/> once the content is written.</summary>
    public int BeginLength()
    {
        Reserve(1);
        return length++;
    }

    /// <summary>Writes the length of what follows the reserved byte, moving the content when the length needs more bytes.</summary>
    public void EndLength(int mark)
    {
        var size = length - mark - 1;
        if (size < 0x80)
        {
            buffer[mark] = (byte)size;
            return;
        }

        var extra = ((BitOperations.Log2((uint)size) / 7) + 1) - 1;
        Reserve(extra);
        buffer.AsSpan(mark + 1, size).CopyTo(buffer.AsSpan(mark + 1 + extra));
        length += extra;
        var value = (uint)size;
        var i = mark;
        while (value >= 0x80)
        {
            buffer[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[i] = (byte)value;
    }

    public byte[] ToArray() => Written.ToArray();

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

    /// <summary>A span of at least <paramref name="size"/> free bytes after what is written.</summary>
    public Span<byte> Reserve(int size)
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

    public void Advance(int count) => length += count;
}
