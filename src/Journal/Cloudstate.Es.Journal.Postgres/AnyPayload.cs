using System.Buffers;
using System.Text;

namespace Cloudstate.Es.Journal.Postgres;

/// <summary>
/// An event's bytes as stored in <c>mt_events.bdata</c>: a serialized <c>google.protobuf.Any</c> (type URL in field 1,
/// payload in field 2), so any protobuf reader can decode the journal without this code.
/// </summary>
internal static class AnyPayload
{
    private const byte TypeUrlTag = (1 << 3) | 2;
    private const byte ValueTag = (2 << 3) | 2;

    public static byte[] Encode(string typeUrl, ReadOnlySpan<byte> data)
    {
        var typeUrlLength = Encoding.UTF8.GetByteCount(typeUrl);
        var size = (typeUrlLength > 0 ? 1 + VarintSize((uint)typeUrlLength) + typeUrlLength : 0)
            + (data.Length > 0 ? 1 + VarintSize((uint)data.Length) + data.Length : 0);
        var bytes = new byte[size];
        var at = 0;
        if (typeUrlLength > 0)
        {
            bytes[at++] = TypeUrlTag;
            at += WriteVarint(bytes.AsSpan(at), (uint)typeUrlLength);
            at += Encoding.UTF8.GetBytes(typeUrl, bytes.AsSpan(at));
        }

        if (data.Length > 0)
        {
            bytes[at++] = ValueTag;
            at += WriteVarint(bytes.AsSpan(at), (uint)data.Length);
            data.CopyTo(bytes.AsSpan(at));
        }

        return bytes;
    }

    /// <summary>Reads the type URL and payload of <paramref name="any"/>; the payload is a slice of it, not a copy.</summary>
    public static (string TypeUrl, ReadOnlyMemory<byte> Data) Decode(ReadOnlyMemory<byte> any)
    {
        var typeUrl = "";
        var data = ReadOnlyMemory<byte>.Empty;
        var span = any.Span;
        var at = 0;
        while (at < span.Length)
        {
            var tag = ReadVarint(span, ref at);
            if ((tag & 7) != 2)
                throw new InvalidDataException($"The stored event is not a protobuf Any: field {tag >> 3} has wire type {tag & 7}.");
            var length = (int)ReadVarint(span, ref at);
            if (length < 0 || length > span.Length - at)
                throw new InvalidDataException("The stored event is not a protobuf Any: a field runs past its end.");
            switch (tag >> 3)
            {
                case 1: typeUrl = Encoding.UTF8.GetString(span.Slice(at, length)); break;
                case 2: data = any.Slice(at, length); break;
            }

            at += length;
        }

        return (typeUrl, data);
    }

    private static int VarintSize(uint value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int WriteVarint(Span<byte> destination, uint value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            destination[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[at++] = (byte)value;
        return at;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= span.Length)
                throw new InvalidDataException("The stored event is not a protobuf Any: it ends inside a number.");
            var b = span[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }

        throw new InvalidDataException("The stored event is not a protobuf Any: a number is too long.");
    }
}
