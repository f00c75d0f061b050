using Google.Protobuf;

namespace Cloudstate.Es.Proxy.Frontend;

/// <summary>Walks protobuf wire format field by field without building a message: the hot path reads only what it needs.</summary>
internal ref struct WireScanner(ReadOnlySpan<byte> buffer)
{
    private ReadOnlySpan<byte> rest = buffer;

    public int FieldNumber { get; private set; }

    public WireFormat.WireType WireType { get; private set; }

    /// <summary>The raw value of the current field: the varint's value, the fixed bytes, or the length-delimited payload.</summary>
    public ulong Scalar { get; private set; }

    public ReadOnlySpan<byte> Bytes { get; private set; }

    /// <summary>Moves to the next field; false at the end. Throws <see cref="MalformedMessageException"/> on malformed input.</summary>
    public bool Next()
    {
        if (rest.IsEmpty)
        {
            return false;
        }

        var tag = ReadVarint();
        FieldNumber = (int)(tag >> 3);
        WireType = (WireFormat.WireType)(tag & 7);
        if (FieldNumber <= 0)
        {
            throw new MalformedMessageException("The message has a field number of 0.");
        }

        Bytes = default;
        switch (WireType)
        {
            case WireFormat.WireType.Varint:
                Scalar = ReadVarint();
                break;
            case WireFormat.WireType.Fixed64:
                Scalar = BitConverter.ToUInt64(Take(8));
                break;
            case WireFormat.WireType.Fixed32:
                Scalar = BitConverter.ToUInt32(Take(4));
                break;
            case WireFormat.WireType.LengthDelimited:
                var length = ReadVarint();
                Bytes = length <= (ulong)rest.Length ? Take((int)length) : throw Truncated();
                break;
            case WireFormat.WireType.StartGroup or WireFormat.WireType.EndGroup:
                // Groups are proto2-only and never carry an entity key; their contents scan as ordinary fields.
                break;
            default:
                throw new MalformedMessageException($"Field {FieldNumber} has the invalid wire type {(int)WireType}.");
        }

        return true;
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (rest.IsEmpty)
            {
                throw Truncated();
            }

            var b = rest[0];
            rest = rest[1..];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new MalformedMessageException("A varint is longer than 10 bytes.");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (rest.Length < count)
        {
            throw Truncated();
        }

        var taken = rest[..count];
        rest = rest[count..];
        return taken;
    }

    private static MalformedMessageException Truncated() => new("The message is truncated.");
}

/// <summary>The bytes are not a well-formed protobuf message.</summary>
internal sealed class MalformedMessageException(string message) : Exception(message);
