using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http.Json;

internal sealed partial class WireToJson
{
    /// <summary>
    /// Writes a map's entries as a JSON object in wire order. A key seen again keeps its first place and takes the later
    /// value, as MapField does; within an entry the last key and the last value count.
    /// </summary>
    private void Map(FieldPlan field, ReadOnlySpan<byte> data, int from, int last, int count, bool rejectEmptyKeys)
    {
        var keyField = field.MapKey;
        var entries = ArrayPool<Entry>.Shared.Rent(count);
        var tableSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, count * 2));
        var table = ArrayPool<int>.Shared.Rent(tableSize);
        try
        {
            var n = CollectEntries(field, data, from, last, entries);
            RemoveDuplicateKeys(keyField, data, entries.AsSpan(0, n), table.AsSpan(0, tableSize));
            output.Raw("{ "u8);
            var written = 0;
            for (var i = 0; i < n; i++)
            {
                if (entries[i].Winner < 0)
                {
                    continue;
                }

                if (written++ > 0)
                {
                    output.Raw(", "u8);
                }

                var winner = entries[entries[i].Winner];
                EntryValue(field, data.Slice(winner.Offset, winner.Length), i, rejectEmptyKeys);
            }

            output.Raw(written == 0 ? "}"u8 : " }"u8);
        }
        finally
        {
            ArrayPool<Entry>.Shared.Return(entries);
            ArrayPool<int>.Shared.Return(table);
        }
    }

    private static int CollectEntries(FieldPlan field, ReadOnlySpan<byte> data, int from, int last, Entry[] entries)
    {
        var keyField = field.MapKey;
        var n = 0;
        var reader = new WireReader(data);
        reader.Seek(from);
        while (reader.Position <= last)
        {
            var tag = reader.Tag();
            if (tag >> 3 != field.Number || (WireFormat.WireType)(tag & 7) != WireFormat.WireType.LengthDelimited)
            {
                reader.Skip(tag);
                continue;
            }

            var payload = reader.LengthDelimited();
            var offset = reader.Position - payload.Length;
            ReadEntry(field, payload, out var keyBits, out var keyBytes, out _, out _);
            var key = keyField.Type == FieldType.String ? 0 : CanonicalKey(keyField.Type, keyBits);
            var keyOffset = keyBytes.IsEmpty ? 0 : offset + (int)Offset(payload, keyBytes);
            entries[n] = new Entry(offset, payload.Length, key, keyOffset, keyBytes.Length, n);
            n++;
        }

        return n;
    }

    private static void RemoveDuplicateKeys(FieldPlan keyField, ReadOnlySpan<byte> data, Span<Entry> entries, Span<int> table)
    {
        table.Fill(-1);
        var mask = table.Length - 1;
        var isString = keyField.Type == FieldType.String;
        for (var i = 0; i < entries.Length; i++)
        {
            var keyBytes = data.Slice(entries[i].KeyOffset, entries[i].KeyLength);
            var hash = isString ? Hash(keyBytes) : entries[i].Key.GetHashCode();
            var slot = hash & mask;
            while (table[slot] >= 0)
            {
                var j = table[slot];
                var same = isString
                    ? keyBytes.SequenceEqual(data.Slice(entries[j].KeyOffset, entries[j].KeyLength))
                    : entries[j].Key == entries[i].Key;
                if (same)
                {
                    entries[j].Winner = i;
                    entries[i].Winner = -1;
                    break;
                }

                slot = (slot + 1) & mask;
            }

            if (table[slot] < 0)
            {
                table[slot] = i;
            }
        }
    }

    private void EntryValue(FieldPlan field, ReadOnlySpan<byte> payload, int index, bool rejectEmptyKeys)
    {
        var keyField = field.MapKey;
        var valueField = field.MapValue;
        ReadEntry(field, payload, out var keyBits, out var keyBytes, out var valueBits, out var valueBytes);
        if (rejectEmptyKeys && keyBytes.IsEmpty)
        {
            throw path.Error("a google.protobuf.Struct has a field with an empty name");
        }

        switch (keyField.Type)
        {
            case FieldType.String: Text(keyBytes); break;
            case FieldType.Bool: output.Raw(keyBits != 0 ? "\"true\""u8 : "\"false\""u8); break;
            case FieldType.UInt32 or FieldType.Fixed32 or FieldType.UInt64 or FieldType.Fixed64: output.UInt64(CanonicalKey(keyField.Type, keyBits)); break;
            default: output.Int64((long)CanonicalKey(keyField.Type, keyBits)); break;
        }

        // Errors in a value name the entry by its place among the entries.
        output.Raw(": "u8);
        path.Push(index);
        if (valueField.Type != FieldType.Message)
        {
            Scalar(valueField, valueBits, valueBytes);
        }
        else if (valueField.MessageKind.IsWrapper())
        {
            WrappedValue(valueField.Message, valueBytes);
        }
        else
        {
            // A missing message value reads as an empty message.
            depth++;
            Message(valueField.Message, valueBytes);
            depth--;
        }

        path.Pop();
    }

    private static void ReadEntry(
        FieldPlan field, ReadOnlySpan<byte> payload, out ulong keyBits, out ReadOnlySpan<byte> keyBytes,
        out ulong valueBits, out ReadOnlySpan<byte> valueBytes)
    {
        var keyField = field.MapKey;
        var valueField = field.MapValue;
        keyBits = valueBits = 0;
        keyBytes = valueBytes = default;
        var reader = new WireReader(payload);
        while (!reader.End)
        {
            var tag = reader.Tag();
            var wireType = (WireFormat.WireType)(tag & 7);
            if (tag >> 3 == 1 && wireType == keyField.WireType)
            {
                reader.Value(wireType, out keyBits, out keyBytes);
            }
            else if (tag >> 3 == 2 && wireType == valueField.WireType)
            {
                reader.Value(wireType, out valueBits, out valueBytes);
            }
            else
            {
                reader.Skip(tag);
            }
        }
    }

    /// <summary>A key as the 64-bit pattern of the value the C# map holds, so equal keys compare equal.</summary>
    private static ulong CanonicalKey(FieldType type, ulong bits) => type switch
    {
        FieldType.Int32 or FieldType.SFixed32 => (ulong)(long)(int)bits,
        FieldType.SInt32 => (ulong)(long)ZigZag32(bits),
        FieldType.UInt32 or FieldType.Fixed32 => (uint)bits,
        FieldType.SInt64 => (ulong)ZigZag64(bits),
        FieldType.Bool => bits != 0 ? 1UL : 0UL,
        _ => bits,
    };

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = default(HashCode);
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }

    /// <summary>Where <paramref name="inner"/>, a slice of <paramref name="outer"/>, starts in it.</summary>
    private static long Offset(ReadOnlySpan<byte> outer, ReadOnlySpan<byte> inner) =>
        System.Runtime.CompilerServices.Unsafe.ByteOffset(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(outer),
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(inner));

    private record struct Entry(int Offset, int Length, ulong Key, int KeyOffset, int KeyLength, int Winner);
}
