using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Frontend;

/// <summary>Reads the entity key of a request straight from its bytes, by the field numbers marked as entity keys.</summary>
internal sealed class EntityKeyReader
{
    /// <summary>The option numbers that mark an entity key: Cloudstate 0.2's, and the 0.0.x support libraries'.</summary>
    public static readonly int[] EntityKeyOptionNumbers = [1080, 50002];

    private readonly FieldDescriptor[] fields;

    private EntityKeyReader(FieldDescriptor[] fields) => this.fields = fields;

    public IReadOnlyList<FieldDescriptor> Fields => fields;

    /// <summary>The reader for <paramref name="input"/>, or null when no field of it is marked as an entity key.</summary>
    public static EntityKeyReader? For(MessageDescriptor input)
    {
        var keys = input.Fields.InFieldNumberOrder().Where(IsEntityKey).ToArray();
        return keys.Length == 0 ? null : new EntityKeyReader(keys);
    }

    /// <summary>Reads the key; several key fields are joined with '-'. Returns an error message when a key is missing or empty.</summary>
    public string? TryRead(ReadOnlySpan<byte> message, out string key)
    {
        if (fields.Length == 1)
            return TryReadOne(message, fields[0], out key);

        var values = new string?[fields.Length];
        var scanner = new WireScanner(message);
        while (scanner.Next())
        {
            for (var i = 0; i < fields.Length; i++)
            {
                if (fields[i].FieldNumber == scanner.FieldNumber)
                {
                    values[i] = Format(fields[i], ref scanner);
                }
            }
        }

        for (var i = 0; i < fields.Length; i++)
        {
            if (string.IsNullOrEmpty(values[i]))
            {
                key = "";
                return NoKey(fields[i]);
            }
        }

        key = values.Length == 1 ? values[0]! : string.Join('-', values);
        return null;
    }

    /// <summary>The usual case, one key field: no array of values to allocate.</summary>
    private static string? TryReadOne(ReadOnlySpan<byte> message, FieldDescriptor field, out string key)
    {
        string? value = null;
        var scanner = new WireScanner(message);
        while (scanner.Next())
        {
            if (field.FieldNumber == scanner.FieldNumber)
            {
                value = Format(field, ref scanner);
            }
        }

        key = value ?? "";
        return string.IsNullOrEmpty(value) ? NoKey(field) : null;
    }

    private static string NoKey(FieldDescriptor field) => $"The request has no entity key: field '{field.Name}' of {field.ContainingType.FullName} is empty.";

    private static string Format(FieldDescriptor field, ref WireScanner scanner) => field.FieldType switch
    {
        FieldType.String => Utf8(field, scanner.Bytes),
        FieldType.Bytes => Convert.ToBase64String(scanner.Bytes),
        FieldType.Bool => scanner.Scalar != 0 ? "true" : "false",
        FieldType.Int32 or FieldType.Enum => ((int)scanner.Scalar).ToString(CultureInfo.InvariantCulture),
        FieldType.Int64 or FieldType.SFixed64 => ((long)scanner.Scalar).ToString(CultureInfo.InvariantCulture),
        FieldType.SFixed32 => ((int)scanner.Scalar).ToString(CultureInfo.InvariantCulture),
        FieldType.SInt32 or FieldType.SInt64 => ((long)(scanner.Scalar >> 1) ^ -(long)(scanner.Scalar & 1)).ToString(CultureInfo.InvariantCulture),
        FieldType.Double => BitConverter.UInt64BitsToDouble(scanner.Scalar).ToString("R", CultureInfo.InvariantCulture),
        FieldType.Float => BitConverter.UInt32BitsToSingle((uint)scanner.Scalar).ToString("R", CultureInfo.InvariantCulture),
        _ => scanner.Scalar.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// A string key's text. Bytes that are not UTF-8 make the request malformed (proto3 strings are UTF-8): decoded with
    /// replacement characters, two different keys would share one entity.
    /// </summary>
    private static string Utf8(FieldDescriptor field, ReadOnlySpan<byte> bytes) =>
        System.Text.Unicode.Utf8.IsValid(bytes)
            ? Encoding.UTF8.GetString(bytes)
            : throw new MalformedMessageException($"the entity key field '{field.Name}' holds bytes that are not UTF-8");

    /// <summary>True when the field carries the entity_key option, read from the raw options since run-time descriptors have no extensions.</summary>
    public static bool IsEntityKey(FieldDescriptor field)
    {
        var options = field.ToProto().Options;
        if (options is null)
        {
            return false;
        }

        var scanner = new WireScanner(options.ToByteArray());
        var marked = false;
        while (scanner.Next())
        {
            if (scanner.WireType == WireFormat.WireType.Varint && EntityKeyOptionNumbers.Contains(scanner.FieldNumber))
            {
                marked = scanner.Scalar != 0;
            }
        }

        return marked;
    }
}
