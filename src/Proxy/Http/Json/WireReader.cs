using System.Buffers.Binary;
using Google.Protobuf;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>Reads protobuf wire format as Google.Protobuf's parser does; malformed data throws <see cref="MalformedWireException"/>.</summary>
internal ref struct WireReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int position;

    public readonly int Position => position;

    public readonly bool End => position >= data.Length;

    public void Seek(int offset) => position = offset;

    /// <summary>The next tag: a varint kept to 32 bits, as the C# parser keeps it; field number 0 is invalid.</summary>
    public uint Tag()
    {
        var tag = (uint)Varint();
        if (tag >> 3 == 0)
        {
            throw new MalformedWireException("a field has the invalid number 0");
        }

        return tag;
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (position >= data.Length)
            {
                throw Truncated();
            }

            var b = data[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new MalformedWireException("a varint is longer than 10 bytes");
    }

    public uint Fixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong Fixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public ReadOnlySpan<byte> LengthDelimited()
    {
        var size = (int)(uint)Varint();
        if (size < 0)
        {
            throw new MalformedWireException("a length is negative");
        }

        return Take(size);
    }

    /// <summary>Reads a value of <paramref name="wireType"/> as raw bits: varints and fixed values in <paramref name="bits"/>, lengths in <paramref name="bytes"/>.</summary>
    public void Value(WireFormat.WireType wireType, out ulong bits, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        bits = 0;
        switch (wireType)
        {
            case WireFormat.WireType.Varint: bits = Varint(); break;
            case WireFormat.WireType.Fixed64: bits = Fixed64(); break;
            case WireFormat.WireType.Fixed32: bits = Fixed32(); break;
            case WireFormat.WireType.LengthDelimited: bytes = LengthDelimited(); break;
            default: throw new MalformedWireException($"the wire type {(int)wireType} has no value");
        }
    }

    /// <summary>Skips the value of a field whose tag was just read, checking it as the C# parser does for unknown fields.</summary>
    public void Skip(uint tag, int depth = 0)
    {
        switch ((WireFormat.WireType)(tag & 7))
        {
            case WireFormat.WireType.Varint: Varint(); break;
            case WireFormat.WireType.Fixed64: Take(8); break;
            case WireFormat.WireType.Fixed32: Take(4); break;
            case WireFormat.WireType.LengthDelimited: LengthDelimited(); break;
            case WireFormat.WireType.StartGroup: SkipGroup(tag >> 3, depth + 1); break;
            case WireFormat.WireType.EndGroup: throw new MalformedWireException("an end-group tag has no start");
            default: throw new MalformedWireException($"field {tag >> 3} has the invalid wire type {tag & 7}");
        }
    }

    private void SkipGroup(uint fieldNumber, int depth)
    {
        if (depth > JsonCodec.RecursionLimit)
        {
            throw new MalformedWireException($"groups nest deeper than {JsonCodec.RecursionLimit} levels");
        }

        while (true)
        {
            if (End)
            {
                throw Truncated();
            }

            var tag = Tag();
            if ((tag & 7) == (uint)WireFormat.WireType.EndGroup)
            {
                if (tag >> 3 != fieldNumber)
                {
                    throw new MalformedWireException($"group {fieldNumber} ends with the tag of field {tag >> 3}");
                }

                return;
            }

            Skip(tag, depth);
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (data.Length - position < count)
        {
            throw Truncated();
        }

        var taken = data.Slice(position, count);
        position += count;
        return taken;
    }

    private static MalformedWireException Truncated() => new("the message is truncated");
}

/// <summary>Wire bytes that are not a well-formed message; the codec adds the JSON path.</summary>
internal sealed class MalformedWireException(string problem) : Exception(problem);
