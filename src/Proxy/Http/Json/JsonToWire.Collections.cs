using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http.Json;

internal sealed partial class JsonToWire
{
    /// <summary>The elements of every array given for a repeated field, packed into one run when the field is packed.</summary>
    private void Repeated(FieldPlan field, ReadOnlySpan<JsonElement> arrays)
    {
        var count = 0;
        foreach (var array in arrays)
        {
            count += array.ValueKind == JsonValueKind.Array ? array.GetArrayLength() : throw path.Error($"{Describe(array)} is not an array, as a repeated field needs");
        }

        if (!field.WritePacked)
        {
            foreach (var array in arrays)
            {
                var index = 0;
                foreach (var element in array.EnumerateArray())
                {
                    path.Push(index++);
                    Element(field, element);
                    path.Pop();
                }
            }

            return;
        }

        if (count == 0)
        {
            return;
        }

        output.Tag(field.Number, WireFormat.WireType.LengthDelimited);
        var mark = output.BeginLength();
        foreach (var array in arrays)
        {
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                path.Push(index++);
                if (element.ValueKind == JsonValueKind.Null && field.IsNullValue)
                {
                    output.Varint(0);
                }
                else
                {
                    Scalar(field, element.ValueKind == JsonValueKind.Null ? throw NullElement() : element, Defaults.Written, tagged: false);
                }

                path.Pop();
            }
        }

        output.EndLength(mark);
    }

    /// <summary>One element of a repeated field that is not packed: always written, with its tag.</summary>
    private void Element(FieldPlan field, JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            if (field.MessageKind == WellKnownType.Value)
            {
                NullValueMessage(field.Number);
                return;
            }

            if (!field.IsNullValue)
            {
                throw NullElement();
            }

            output.Tag(field.Number, WireFormat.WireType.Varint);
            output.Varint(0);
            return;
        }

        if (field.Type == FieldType.Message)
        {
            MessageField(field, element, wrapperDefaults: Defaults.Bitwise);
        }
        else
        {
            Scalar(field, element, Defaults.Written, tagged: true);
        }
    }

    private JsonCodecException NullElement() => path.Error("null is not allowed in a repeated field");

    /// <summary>
    /// Writes one entry per property of the objects given for a map. A key given again keeps its first place and
    /// takes the later value, as MapField does; each entry is written as FieldCodec writes it, defaults left out.
    /// </summary>
    private void Map(FieldPlan field, ReadOnlySpan<JsonElement> objects)
    {
        var count = 0;
        foreach (var map in objects)
        {
            count += map.ValueKind == JsonValueKind.Object ? map.GetPropertyCount() : throw path.Error($"{Describe(map)} is not an object, as a map needs");
        }

        var start = output.Length;
        var entries = ArrayPool<Entry>.Shared.Rent(count);
        try
        {
            var n = 0;
            foreach (var map in objects)
            {
                foreach (var property in map.EnumerateObject())
                {
                    path.Push(property);
                    entries[n++] = MapEntry(field, property);
                    path.Pop();
                }
            }

            if (n > 1 && RemoveDuplicateKeys(entries.AsSpan(0, n)))
            {
                Rewrite(start, entries.AsSpan(0, n));
            }
        }
        finally
        {
            ArrayPool<Entry>.Shared.Return(entries);
        }
    }

    private Entry MapEntry(FieldPlan field, JsonProperty property)
    {
        var entryStart = output.Length;
        output.Tag(field.Number, WireFormat.WireType.LengthDelimited);
        var mark = output.BeginLength();
        MapKey(field.MapKey, property);
        var keyLength = output.Length - mark - 1;
        var valueField = field.MapValue;
        var value = property.Value;
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (valueField.MessageKind != WellKnownType.Value)
            {
                throw path.Error("null is not allowed as a map value");
            }

            NullValueMessage(valueField.Number);
        }
        else if (valueField.Type == FieldType.Message)
        {
            MessageField(valueField, value, wrapperDefaults: Defaults.Bitwise);
        }
        else
        {
            Scalar(valueField, value, Defaults.Bitwise, tagged: true);
        }

        var contentLength = output.Length - mark - 1;
        output.EndLength(mark);
        return new Entry(entryStart, output.Length - entryStart, output.Length - contentLength, keyLength, 0);
    }

    /// <summary>Writes a map key from a property name: bools and integers as JsonParser reads them from strings.</summary>
    private void MapKey(FieldPlan key, JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        var text = raw.IndexOf((byte)'\\') < 0 ? raw : System.Text.Encoding.UTF8.GetBytes(PropertyName(property));
        if (key.Type == FieldType.String)
        {
            if (!System.Text.Unicode.Utf8.IsValid(text))
            {
                throw path.Error("a map key is not valid UTF-8");
            }

            if (!text.IsEmpty)
            {
                output.Tag(1, WireFormat.WireType.LengthDelimited);
                output.LengthDelimited(text);
            }

            return;
        }

        var bits = key.Type switch
        {
            FieldType.Bool => text.SequenceEqual("true"u8) ? 1UL : text.SequenceEqual("false"u8) ? 0UL : throw BadKey(key, property),
            FieldType.Int32 or FieldType.SFixed32 => KeyBits<int>(key, property, text, static v => (ulong)(long)v),
            FieldType.SInt32 => KeyBits<int>(key, property, text, static v => ZigZag(v)),
            FieldType.UInt32 or FieldType.Fixed32 => KeyBits<uint>(key, property, text, static v => v),
            FieldType.Int64 or FieldType.SFixed64 => KeyBits<long>(key, property, text, static v => (ulong)v),
            FieldType.SInt64 => KeyBits<long>(key, property, text, static v => ZigZag(v)),
            _ => KeyBits<ulong>(key, property, text, static v => v),
        };
        if (bits == 0)
        {
            return;
        }

        output.Tag(1, key.WireType);
        switch (key.WireType)
        {
            case WireFormat.WireType.Fixed32: output.Fixed32((uint)bits); break;
            case WireFormat.WireType.Fixed64: output.Fixed64(bits); break;
            default: output.Varint(bits); break;
        }
    }

    private ulong KeyBits<T>(FieldPlan key, JsonProperty property, ReadOnlySpan<byte> text, Func<T, ulong> bits)
        where T : System.Numerics.IBinaryInteger<T> =>
        IsPlainNumber(text) && T.TryParse(text, Numeric, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? bits(value)
            : throw BadKey(key, property);

    private JsonCodecException BadKey(FieldPlan key, JsonProperty property) =>
        path.Error($"'{JsonPath.NameOf(property)}' is not a map key of type {key.Type.ToString().ToLowerInvariant()}");

    /// <summary>Marks entries whose key comes again: the first keeps its place and takes the last one's bytes.</summary>
    private bool RemoveDuplicateKeys(Span<Entry> entries)
    {
        var written = output.Written;
        var found = false;
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i].Winner = i;
        }

        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)entries.Length * 2);
        var table = ArrayPool<int>.Shared.Rent(size);
        try
        {
            table.AsSpan(0, size).Fill(-1);
            for (var i = 0; i < entries.Length; i++)
            {
                var key = written.Slice(entries[i].KeyStart, entries[i].KeyLength);
                var hash = default(HashCode);
                hash.AddBytes(key);
                var slot = hash.ToHashCode() & (size - 1);
                while (table[slot] >= 0 && !key.SequenceEqual(written.Slice(entries[table[slot]].KeyStart, entries[table[slot]].KeyLength)))
                {
                    slot = (slot + 1) & (size - 1);
                }

                if (table[slot] < 0)
                {
                    table[slot] = i;
                    continue;
                }

                entries[table[slot]].Winner = i;
                entries[i].Winner = -1;
                found = true;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(table);
        }

        return found;
    }

    private void Rewrite(int start, ReadOnlySpan<Entry> entries)
    {
        var copy = output.Written[start..].ToArray();
        output.Length = start;
        foreach (var entry in entries)
        {
            if (entry.Winner >= 0)
            {
                var winner = entries[entry.Winner];
                output.Raw(copy.AsSpan(winner.Start - start, winner.Length));
            }
        }
    }

    private record struct Entry(int Start, int Length, int KeyStart, int KeyLength, int Winner);
}
