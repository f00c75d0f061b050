using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http.Json;

internal sealed partial class WireToJson
{
    private void Scalar(FieldPlan field, ulong bits, ReadOnlySpan<byte> bytes)
    {
        switch (field.Type)
        {
            case FieldType.Double: output.Double(BitConverter.UInt64BitsToDouble(bits)); break;
            case FieldType.Float: output.Float(BitConverter.UInt32BitsToSingle((uint)bits)); break;
            case FieldType.Int64 or FieldType.SFixed64: output.Int64((long)bits); break;
            case FieldType.SInt64: output.Int64(ZigZag64(bits)); break;
            case FieldType.UInt64 or FieldType.Fixed64: output.UInt64(bits); break;
            case FieldType.Int32 or FieldType.SFixed32: output.Int32((int)bits); break;
            case FieldType.SInt32: output.Int32(ZigZag32(bits)); break;
            case FieldType.UInt32 or FieldType.Fixed32: output.UInt32((uint)bits); break;
            case FieldType.Bool: output.Bool(bits != 0); break;
            case FieldType.Bytes: output.Base64(bytes); break;
            case FieldType.Enum: Enum(field.Enum, (int)bits); break;
            default: Text(bytes); break;
        }
    }

    private void Text(ReadOnlySpan<byte> utf8)
    {
        if (!output.String(utf8))
        {
            throw path.Error("a string is not valid UTF-8");
        }
    }

    private void Enum(EnumPlan plan, int number)
    {
        if (plan.IsNullValue)
        {
            output.Null();
        }
        else if (plan.QuotedName(number) is { } name)
        {
            output.Raw(name);
        }
        else
        {
            output.Int32(number);
        }
    }

    /// <summary>Whether a value without presence has its default, which JsonFormatter leaves out (-0.0 included).</summary>
    private static bool IsDefault(FieldType type, ulong bits, ReadOnlySpan<byte> bytes) => type switch
    {
        FieldType.String or FieldType.Bytes => bytes.IsEmpty,
        FieldType.Double => BitConverter.UInt64BitsToDouble(bits) == 0,
        FieldType.Float => BitConverter.UInt32BitsToSingle((uint)bits) == 0,
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.UInt64 or FieldType.Fixed64 or FieldType.Bool => bits == 0,
        _ => (uint)bits == 0,
    };

    private static long ZigZag64(ulong n) => (long)(n >> 1) ^ -(long)(n & 1);

    private static int ZigZag32(ulong n) => (int)((uint)n >> 1) ^ -(int)(n & 1);

    /// <summary>
    /// The value of a singular wrapper field: the generated parser keeps the first occurrence and lets a later one
    /// replace it only when that one is not the default.
    /// </summary>
    private static void WrapperField(FieldPlan field, ReadOnlySpan<byte> data, int from, int last, out ulong bits, out ReadOnlySpan<byte> bytes)
    {
        var inner = field.Message.Fields[0];
        var reader = new WireReader(data);
        reader.Seek(from);
        bits = 0;
        bytes = default;
        var any = false;
        while (reader.Position <= last)
        {
            var tag = reader.Tag();
            if (tag >> 3 != field.Number || (WireFormat.WireType)(tag & 7) != WireFormat.WireType.LengthDelimited)
            {
                reader.Skip(tag);
                continue;
            }

            Unwrap(inner, reader.LengthDelimited(), out var valueBits, out var valueBytes);
            if (!any || !IsDefault(inner.Type, valueBits, valueBytes))
            {
                bits = valueBits;
                bytes = valueBytes;
                any = true;
            }
        }
    }

    /// <summary>Writes the value a wrapper message holds (its default when absent).</summary>
    private void WrappedValue(MessagePlan wrapper, ReadOnlySpan<byte> payload)
    {
        var inner = wrapper.Fields[0];
        Unwrap(inner, payload, out var bits, out var bytes);
        Scalar(inner, bits, bytes);
    }

    private static void Unwrap(FieldPlan inner, ReadOnlySpan<byte> payload, out ulong bits, out ReadOnlySpan<byte> bytes)
    {
        bits = 0;
        bytes = default;
        var reader = new WireReader(payload);
        while (!reader.End)
        {
            var tag = reader.Tag();
            if (tag >> 3 == 1 && (WireFormat.WireType)(tag & 7) == inner.WireType)
            {
                reader.Value(inner.WireType, out bits, out bytes);
            }
            else
            {
                reader.Skip(tag);
            }
        }
    }

    /// <summary>Writes the value of <paramref name="field"/> at its last occurrence, ending at <paramref name="last"/>.</summary>
    private void ValueAt(FieldPlan field, ReadOnlySpan<byte> data, int from, int last)
    {
        if (field.Type == FieldType.Message)
        {
            byte[]? pooled = null;
            try
            {
                Message(field.Message, Merged(field, data, from, last, ref pooled));
            }
            finally
            {
                if (pooled is not null)
                {
                    ArrayPool<byte>.Shared.Return(pooled);
                }
            }

            return;
        }

        var reader = new WireReader(data);
        reader.Seek(last);
        var tag = reader.Tag();
        reader.Value((WireFormat.WireType)(tag & 7), out var bits, out var bytes);
        Scalar(field, bits, bytes);
    }
}
