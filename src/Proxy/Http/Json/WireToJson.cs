using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>
/// Writes the proto3 JSON of wire bytes, spelled as Google.Protobuf's JsonFormatter.Default spells the parsed message:
/// fields in number order, defaults left out, the last value of a singular field, merged messages, and maps in wire order.
/// </summary>
internal sealed partial class WireToJson(PlanCache plans, AnyTypes anyTypes, JsonOutput output)
{
    private readonly JsonPath path = new();
    private int depth;

    public void Write(MessagePlan plan, ReadOnlySpan<byte> data)
    {
        try
        {
            Message(plan, data);
        }
        catch (MalformedWireException e)
        {
            // The path still points where the reader failed: it is only popped on success.
            throw path.Error(e.Message);
        }
    }

    /// <summary>A message as a JSON value: an object, or the special form of a well-known type.</summary>
    private void Message(MessagePlan plan, ReadOnlySpan<byte> data)
    {
        // Counted as the C# parser counts: the top message and 100 levels below it.
        if (depth++ > JsonCodec.RecursionLimit)
        {
            throw path.Error($"messages nest deeper than {JsonCodec.RecursionLimit} levels");
        }

        switch (plan.WellKnown)
        {
            case WellKnownType.None: Object(plan, data); break;
            case WellKnownType.Any: Any(plan, data); break;
            case WellKnownType.Timestamp: Timestamp(data); break;
            case WellKnownType.Duration: Duration(data); break;
            case WellKnownType.FieldMask: FieldMask(data); break;
            case WellKnownType.Struct: Struct(plan, data); break;
            case WellKnownType.Value: Value(plan, data); break;
            case WellKnownType.ListValue: ListValue(plan, data); break;
            default: Wrapper(plan, data); break;
        }

        depth--;
    }

    private void Object(MessagePlan plan, ReadOnlySpan<byte> data)
    {
        output.Raw("{ "u8);
        output.Raw(Fields(plan, data, first: true) ? " }"u8 : "}"u8);
    }

    /// <summary>Writes the fields that the parsed message would show; true if it wrote any.</summary>
    private bool Fields(MessagePlan plan, ReadOnlySpan<byte> data, bool first)
    {
        var fields = plan.Fields;
        var rented = ArrayPool<int>.Shared.Rent(Occurrences.Size(plan));
        try
        {
            var seen = new Occurrences(rented, plan);
            seen.Scan(plan, data);
            foreach (var field in fields)
            {
                if (!seen.Shown(field, out var from, out var last))
                {
                    CheckSupersededStrings(field, data, seen);
                    continue;
                }

                if (field.Type == FieldType.Group)
                {
                    throw path.Error($"field {field.Descriptor.FullName} is a group, which the JSON codec does not support");
                }

                if (field.IsMap)
                {
                    Name(field, ref first);
                    path.Push(field.JsonName);
                    Map(field, data, from, last, seen.Count(field), rejectEmptyKeys: false);
                    path.Pop();
                }
                else if (field.IsRepeated)
                {
                    Repeated(field, data, from, last, ref first);
                }
                else
                {
                    CheckSupersededStrings(field, data, seen);
                    Singular(field, data, from, last, ref first);
                }
            }

            return !first;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The C# parser decodes every string it meets, so a string that a later value replaces must still be UTF-8.
    /// (Replaced message values are not checked this deeply.)
    /// </summary>
    private void CheckSupersededStrings(FieldPlan field, ReadOnlySpan<byte> data, in Occurrences seen)
    {
        var count = seen.Count(field);
        if (field.Type != FieldType.String || field.IsRepeated || count == 0 || (count == 1 && field.OneofIndex < 0))
        {
            return;
        }

        seen.Range(field, out var from, out var last);
        var reader = new WireReader(data);
        reader.Seek(from);
        while (reader.Position <= last)
        {
            var tag = reader.Tag();
            if (tag >> 3 == field.Number && (WireFormat.WireType)(tag & 7) == WireFormat.WireType.LengthDelimited)
            {
                if (!System.Text.Unicode.Utf8.IsValid(reader.LengthDelimited()))
                {
                    path.Push(field.JsonName);
                    throw path.Error("a string is not valid UTF-8");
                }
            }
            else
            {
                reader.Skip(tag);
            }
        }
    }

    private void Singular(FieldPlan field, ReadOnlySpan<byte> data, int from, int last, ref bool first)
    {
        if (field.Type == FieldType.Message && !field.MessageKind.IsWrapper())
        {
            Name(field, ref first);
            path.Push(field.JsonName);
            ValueAt(field, data, from, last);
            path.Pop();
            return;
        }

        ulong bits;
        ReadOnlySpan<byte> bytes;
        var valueField = field;
        if (field.Type == FieldType.Message)
        {
            // A wrapper field shows the value it wraps, even the default: the field has presence.
            WrapperField(field, data, from, last, out bits, out bytes);
            valueField = field.Message.Fields[0];
        }
        else
        {
            var reader = new WireReader(data);
            reader.Seek(last);
            var tag = reader.Tag();
            reader.Value((WireFormat.WireType)(tag & 7), out bits, out bytes);
            if (!field.HasPresence && IsDefault(field.Type, bits, bytes))
            {
                return;
            }
        }

        Name(field, ref first);
        path.Push(field.JsonName);
        Scalar(valueField, bits, bytes);
        path.Pop();
    }

    private void Repeated(FieldPlan field, ReadOnlySpan<byte> data, int from, int last, ref bool first)
    {
        // An empty packed run adds nothing, so the field may turn out empty and be taken back.
        var mark = output.Length;
        var wasFirst = first;
        Name(field, ref first);
        path.Push(field.JsonName);
        if (List(field, data, from, last) == 0)
        {
            output.Length = mark;
            first = wasFirst;
        }

        path.Pop();
    }

    /// <summary>Writes the values of a repeated field found between <paramref name="from"/> and <paramref name="last"/> as a JSON array.</summary>
    private int List(FieldPlan field, ReadOnlySpan<byte> data, int from, int last)
    {
        output.Raw("[ "u8);
        var count = 0;
        var reader = new WireReader(data);
        reader.Seek(from);
        while (reader.Position <= last && !reader.End)
        {
            var tag = reader.Tag();
            var wireType = (WireFormat.WireType)(tag & 7);
            if (tag >> 3 != field.Number || !field.Accepts(wireType))
            {
                reader.Skip(tag);
                continue;
            }

            if (field.Packable && wireType == WireFormat.WireType.LengthDelimited)
            {
                var packed = new WireReader(reader.LengthDelimited());
                while (!packed.End)
                {
                    packed.Value(field.WireType, out var packedBits, out _);
                    Element(ref count);
                    Scalar(field, packedBits, default);
                    path.Pop();
                }

                continue;
            }

            reader.Value(wireType, out var bits, out var bytes);
            Element(ref count);
            if (field.Type != FieldType.Message)
            {
                Scalar(field, bits, bytes);
            }
            else if (field.MessageKind.IsWrapper())
            {
                WrappedValue(field.Message, bytes);
            }
            else
            {
                Message(field.Message, bytes);
            }

            path.Pop();
        }

        output.Raw(count == 0 ? "]"u8 : " ]"u8);
        return count;
    }

    private void Element(ref int count)
    {
        if (count > 0)
        {
            output.Raw(", "u8);
        }

        path.Push(count++);
    }

    private void Name(FieldPlan field, ref bool first)
    {
        if (!first)
        {
            output.Raw(", "u8);
        }

        output.Raw(field.NamePrefix);
        first = false;
    }

    /// <summary>
    /// The payload of a singular message field. Several occurrences merge, and parsing their concatenation is what
    /// merging means in protobuf; that rare case copies them into <paramref name="pooled"/>.
    /// </summary>
    private static ReadOnlySpan<byte> Merged(FieldPlan field, ReadOnlySpan<byte> data, int from, int last, ref byte[]? pooled)
    {
        var reader = new WireReader(data);
        reader.Seek(from);
        if (from == last)
        {
            reader.Tag();
            return reader.LengthDelimited();
        }

        pooled = ArrayPool<byte>.Shared.Rent(data.Length);
        var length = 0;
        while (reader.Position <= last)
        {
            var tag = reader.Tag();
            if (tag >> 3 == field.Number && (WireFormat.WireType)(tag & 7) == WireFormat.WireType.LengthDelimited)
            {
                var payload = reader.LengthDelimited();
                payload.CopyTo(pooled.AsSpan(length));
                length += payload.Length;
            }
            else
            {
                reader.Skip(tag);
            }
        }

        return pooled.AsSpan(0, length);
    }
}
