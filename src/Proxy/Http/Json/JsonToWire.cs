using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>
/// Turns proto3 JSON into wire bytes: it accepts what Google.Protobuf's JsonParser accepts and writes the bytes that
/// the parsed message serializes to (fields in number order, the last value of a repeated name, packed scalars).
/// </summary>
internal sealed partial class JsonToWire(PlanCache plans, AnyTypes anyTypes, WireWriter output) : IDisposable
{
    private readonly JsonPath path = new();
    private byte[] scratch = ArrayPool<byte>.Shared.Rent(256);
    private int depth;

    public void Write(MessagePlan plan, JsonElement json) => Message(plan, json);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(scratch);
        scratch = [];
    }

    /// <summary>Writes the fields of the message that <paramref name="json"/> stands for, a well-known type in its special form.</summary>
    private void Message(MessagePlan plan, JsonElement json)
    {
        Enter();

        switch (plan.WellKnown)
        {
            case WellKnownType.None: Object(plan, json, skip: -1); break;
            case WellKnownType.Any: Any(plan, json); break;
            case WellKnownType.Timestamp: Timestamp(plan, json); break;
            case WellKnownType.Duration: Duration(plan, json); break;
            case WellKnownType.FieldMask: FieldMask(plan, json); break;
            case WellKnownType.Struct: Struct(plan, json); break;
            case WellKnownType.Value: Value(plan, json); break;
            case WellKnownType.ListValue: ListValue(plan, json); break;
            default: Wrapper(plan, json); break;
        }

        depth--;
    }

    /// <summary>Counts a message level as JsonParser counts them, failing beyond its recursion limit.</summary>
    private void Enter()
    {
        if (depth++ > JsonCodec.RecursionLimit)
        {
            throw path.Error($"messages nest deeper than {JsonCodec.RecursionLimit} levels");
        }
    }

    /// <summary>
    /// Reads the properties of an object in document order (a repeated name: the last value counts, arrays add up),
    /// then writes the fields in number order. <paramref name="skip"/> is the index of a property to pass over.
    /// </summary>
    private void Object(MessagePlan plan, JsonElement json, int skip)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw path.Error($"{Describe(json)} is not an object, as {plan.FullName} needs");
        }

        var fields = plan.Fields;
        var slots = ArrayPool<Slot>.Shared.Rent(fields.Length);
        Array.Clear(slots, 0, fields.Length);
        try
        {
            var oneofs = new OneofSet(plan.OneofNames.Length);
            var index = -1;
            foreach (var property in json.EnumerateObject())
            {
                if (++index == skip)
                {
                    continue;
                }

                var field = FieldOf(plan, property, out var name);
                if (field.OneofIndex >= 0 && !oneofs.Add(field.OneofIndex))
                {
                    throw path.Error($"the oneof '{plan.OneofNames[field.OneofIndex]}' of {plan.FullName} has more than one value");
                }

                Record(field, ref slots[field.Index], property.Value, name);
            }

            foreach (var field in fields)
            {
                if (slots[field.Index].Present)
                {
                    path.Push(slots[field.Index].Name);
                    Field(field, slots[field.Index]);
                    path.Pop();
                }
            }
        }
        finally
        {
            ArrayPool<Slot>.Shared.Return(slots, clearArray: true);
        }
    }

    private FieldPlan FieldOf(MessagePlan plan, JsonProperty property, out string name)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        var found = raw.IndexOf((byte)'\\') < 0
            ? plan.ByName.TryGet(raw, out var field, out name)
            : plan.ByName.TryGet(PropertyName(property), out field, out name);
        return found ? field : throw path.Error($"unknown field '{JsonPath.NameOf(property)}' in {plan.FullName}");
    }

    /// <summary>The unescaped name of a property whose raw name holds escapes.</summary>
    private string PropertyName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException e)
        {
            throw path.Error($"the property name {JsonPath.NameOf(property)} escapes half of a surrogate pair", e);
        }
    }

    /// <summary>Notes a property's value; a value it replaces is still checked, as JsonParser parses every value it meets.</summary>
    private void Record(FieldPlan field, ref Slot slot, JsonElement value, string name)
    {
        if (field.IsMap || field.IsRepeated)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                // null clears a repeated field or map, with whatever arrays or objects came before.
                Check(field, slot);
                slot = default;
                return;
            }

            if (slot.Present)
            {
                (slot.Earlier ??= []).Add(slot.Value);
            }
        }
        else if (slot.Present)
        {
            Check(field, slot);
        }

        slot.Value = value;
        slot.Name = name;
        slot.Present = true;
    }

    private void Check(FieldPlan field, in Slot slot)
    {
        if (!slot.Present)
        {
            return;
        }

        var mark = output.Length;
        path.Push(slot.Name);
        Field(field, slot);
        path.Pop();
        output.Length = mark;
    }

    private void Field(FieldPlan field, in Slot slot)
    {
        if (field.Type == FieldType.Group)
        {
            throw path.Error($"field {field.Descriptor.FullName} is a group, which the JSON codec does not support");
        }

        if (field.IsMap || field.IsRepeated)
        {
            ReadOnlySpan<JsonElement> values = slot.Earlier is null ? new(in slot.Value) : [.. slot.Earlier, slot.Value];
            if (field.IsMap)
            {
                Map(field, values);
            }
            else
            {
                Repeated(field, values);
            }
        }
        else
        {
            Singular(field, slot.Value);
        }
    }

    private void Singular(FieldPlan field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            // null clears a field, except that a Value field holds a null Value and a NullValue field holds NULL_VALUE.
            if (field.MessageKind == WellKnownType.Value)
            {
                NullValueMessage(field.Number);
            }
            else if (field.IsNullValue && field.HasPresence)
            {
                output.Tag(field.Number, WireFormat.WireType.Varint);
                output.Varint(0);
            }

            return;
        }

        if (field.Type == FieldType.Message)
        {
            MessageField(field, value, wrapperDefaults: Defaults.Bitwise);
            return;
        }

        Scalar(field, value, field.HasPresence ? Defaults.Written : Defaults.Numeric, tagged: true);
    }

    /// <summary>A message value with its tag and length; a wrapper holds its value, left out when it is the default.</summary>
    private void MessageField(FieldPlan field, JsonElement value, Defaults wrapperDefaults)
    {
        output.Tag(field.Number, WireFormat.WireType.LengthDelimited);
        var mark = output.BeginLength();
        if (field.MessageKind.IsWrapper())
        {
            Scalar(field.Message.Fields[0], value, wrapperDefaults, tagged: true);
        }
        else
        {
            Message(field.Message, value);
        }

        output.EndLength(mark);
    }

    /// <summary>A google.protobuf.Value holding null: its tag, length 2, and null_value = 0.</summary>
    private void NullValueMessage(int fieldNumber)
    {
        output.Tag(fieldNumber, WireFormat.WireType.LengthDelimited);
        output.Raw([2, 8, 0]);
    }

    private struct Slot
    {
        public JsonElement Value;
        public string Name;
        public List<JsonElement>? Earlier;
        public bool Present;
    }

    /// <summary>Which oneofs of a message already have a value.</summary>
    private struct OneofSet(int count)
    {
        private readonly bool[]? many = count > 64 ? new bool[count] : null;
        private ulong few;

        public bool Add(int index)
        {
            if (many is not null)
            {
                return !many[index] && (many[index] = true);
            }

            var bit = 1UL << index;
            var added = (few & bit) == 0;
            few |= bit;
            return added;
        }
    }
}
