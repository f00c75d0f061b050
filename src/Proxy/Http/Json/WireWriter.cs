using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>Protobuf wire bytes in a pooled buffer; nested messages reserve their length and patch it when they end.</summary>
internal sealed class WireWriter : PooledBytes
{
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
        Advance(i);
    }

    public void Fixed32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);
        Advance(4);
    }

    public void Fixed64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);
        Advance(8);
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
        Advance(size);
    }

    /// <summary>Reserves one byte for a length; pass the result to <see cref="EndLength"/> once the content is written.</summary>
    public int BeginLength()
    {
        Reserve(1);
        Advance(1);
        return Length - 1;
    }

    /// <summary>Writes the length of what follows the reserved byte, moving the content when the length needs more bytes.</summary>
    public void EndLength(int mark)
    {
        var size = Length - mark - 1;
        if (size < 0x80)
        {
            Buffer[mark] = (byte)size;
            return;
        }

        var extra = ((BitOperations.Log2((uint)size) / 7) + 1) - 1;
        Reserve(extra);
        Buffer.Slice(mark + 1, size).CopyTo(Buffer[(mark + 1 + extra)..]);
        Advance(extra);
        var value = (uint)size;
        var i = mark;
        while (value >= 0x80)
        {
            Buffer[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        Buffer[i] = (byte)value;
    }
}
