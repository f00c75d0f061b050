using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Cloudstate.Es.Proxy.Tests.Json;

/// <summary>
/// Deterministic random messages of the generated test types, filled through reflection so that every field kind is
/// reached: extreme numbers, NaN and -0.0, strings that need escaping, unknown enum numbers, defaults in oneofs and
/// optionals, maps of every key type, and every well-known type with values JsonFormatter can show.
/// </summary>
internal sealed class RandomMessages(int seed)
{
    private const int MaxDepth = 3;

    private static readonly MessageDescriptor[] AnyBodies =
    [
        Nested.Descriptor, Scalars.Descriptor, Cart.Descriptor, Timestamp.Descriptor, Duration.Descriptor,
        Int32Value.Descriptor, StringValue.Descriptor, DoubleValue.Descriptor, Struct.Descriptor, Value.Descriptor,
        ListValue.Descriptor, Empty.Descriptor, FieldMask.Descriptor, Any.Descriptor,
    ];

    private static readonly string[] Fragments =
    [
        "a", "Z", "0", " ", "cart", "\"", "\\", "/", "<", ">", "&", "'", "\n", "\t", "\r", "\b", "\f", "\u0000", "\u0001",
        "\u001f", "\u007f", "\u0080", "\u0085", "\u009f", "\u00a0", "\u00ad", "\u00e9", "\u0600", "\u06dd", "\u070f",
        "\u17b4", "\u200b", "\u200f", "\u2028", "\u2029", "\u202e", "\u2060", "\u206f", "\u4e2d", "\ufeff", "\ufff9",
        "\ufffd", "\ud83d\ude00", "\udbff\udfff",
    ];

    private static readonly double[] Doubles =
    [
        0, -0.0, 1, -1, 0.1, 1.5, 1e20, 1e21, 1e-7, 123456789012345680, double.Epsilon, double.MaxValue, double.MinValue,
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, 9007199254740993,
    ];

    private static readonly long[] Longs = [0, 1, -1, 127, 128, -128, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue, 9007199254740993];

    private readonly Random random = new(seed);

    public IMessage Next(MessageDescriptor type, int depth = 0)
    {
        var message = New(type);
        switch (type.FullName)
        {
            case "google.protobuf.Timestamp": return NextTimestamp(message);
            case "google.protobuf.Duration": return NextDuration(message);
            case "google.protobuf.FieldMask": return NextFieldMask();
            case "google.protobuf.Struct": return NextStruct(depth);
            case "google.protobuf.Value": return NextValue(depth);
            case "google.protobuf.ListValue": return NextList(depth);
            case "google.protobuf.Any": return NextAny(depth);
        }

        foreach (var oneof in type.Oneofs.Where(o => !o.IsSynthetic))
        {
            if (random.Next(4) > 0)
            {
                var member = oneof.Fields[random.Next(oneof.Fields.Count)];
                member.Accessor.SetValue(message, Single(member, depth));
            }
        }

        foreach (var field in type.Fields.InFieldNumberOrder().Where(f => f.RealContainingOneof is null))
        {
            if (random.Next(3) == 0)
            {
                continue;
            }

            if (field.IsMap)
            {
                var map = (IDictionary)field.Accessor.GetValue(message);
                var (key, value) = (field.MessageType.FindFieldByNumber(1), field.MessageType.FindFieldByNumber(2));
                for (var i = random.Next(5); i > 0; i--)
                {
                    map[Single(key, depth)] = Single(value, depth);
                }
            }
            else if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                for (var i = random.Next(5); i > 0; i--)
                {
                    list.Add(Single(field, depth));
                }
            }
            else
            {
                field.Accessor.SetValue(message, Single(field, depth));
            }
        }

        return message;
    }

    private static IMessage New(MessageDescriptor type) => (IMessage)Activator.CreateInstance(type.ClrType)!;

    /// <summary>One value of a field's type, as its accessor (or its list or map) takes it.</summary>
    private object Single(FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.Double => Double(),
        FieldType.Float => Float(),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Long(),
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)Long(),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int)Long(),
        FieldType.UInt32 or FieldType.Fixed32 => (uint)Long(),
        FieldType.Bool => random.Next(2) == 0,
        FieldType.String => Text(),
        FieldType.Bytes => Bytes(),
        FieldType.Enum => NextEnum(field.EnumType),
        _ => Message(field.MessageType, depth),
    };

    private object Message(MessageDescriptor type, int depth) => type.FullName switch
    {
        "google.protobuf.DoubleValue" => Double(),
        "google.protobuf.FloatValue" => Float(),
        "google.protobuf.Int64Value" => Long(),
        "google.protobuf.UInt64Value" => (ulong)Long(),
        "google.protobuf.Int32Value" => (int)Long(),
        "google.protobuf.UInt32Value" => (uint)Long(),
        "google.protobuf.BoolValue" => random.Next(2) == 0,
        "google.protobuf.StringValue" => Text(),
        "google.protobuf.BytesValue" => Bytes(),
        _ when depth >= MaxDepth && !type.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal) => New(type),
        _ => Next(type, depth + 1),
    };

    private double Double() => random.Next(3) == 0
        ? BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue))
        : Doubles[random.Next(Doubles.Length)] * (random.Next(2) == 0 ? 1 : random.NextDouble());

    private float Float() => random.Next(3) == 0
        ? BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue))
        : (float)Doubles[random.Next(Doubles.Length)];

    private long Long() => random.Next(3) switch
    {
        0 => Longs[random.Next(Longs.Length)],
        1 => random.Next(-1000, 1000),
        _ => random.NextInt64(long.MinValue, long.MaxValue),
    };

    private string Text()
    {
        var parts = new string[random.Next(6)];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = Fragments[random.Next(Fragments.Length)];
        }

        return string.Concat(parts);
    }

    private ByteString Bytes()
    {
        var bytes = new byte[random.Next(8)];
        random.NextBytes(bytes);
        return ByteString.CopyFrom(bytes);
    }

    /// <summary>A declared value mostly, sometimes a number the enum does not name.</summary>
    private int NextEnum(EnumDescriptor type) =>
        random.Next(5) == 0 ? random.Next(-3, 50) : type.Values[random.Next(type.Values.Count)].Number;

    private Timestamp NextTimestamp(IMessage message)
    {
        var timestamp = (Timestamp)message;
        timestamp.Seconds = random.Next(3) == 0 ? random.Next(-100, 100) : random.NextInt64(-62135596800, 253402300800);
        timestamp.Nanos = Nanos();
        return timestamp;
    }

    private Duration NextDuration(IMessage message)
    {
        var duration = (Duration)message;
        var sign = random.Next(2) == 0 ? 1 : -1;
        duration.Seconds = sign * (random.Next(3) == 0 ? random.Next(3) : random.NextInt64(0, 315576000001));
        duration.Nanos = sign * Nanos();
        return duration;
    }

    // Whole seconds, milliseconds, microseconds or nanoseconds: the 0, 3, 6 and 9 digit forms.
    private int Nanos() => random.Next(4) switch
    {
        0 => 0,
        1 => random.Next(1000) * 1_000_000,
        2 => random.Next(1_000_000) * 1000,
        _ => random.Next(1_000_000_000),
    };

    private FieldMask NextFieldMask()
    {
        var mask = new FieldMask();
        string[] words = ["a", "cart", "line_items", "x1", "user.id", "deep.nested_path.leaf"];
        for (var i = random.Next(4); i > 0; i--)
        {
            mask.Paths.Add(words[random.Next(words.Length)]);
        }

        return mask;
    }

    private Struct NextStruct(int depth)
    {
        var result = new Struct();
        for (var i = depth >= MaxDepth ? 0 : random.Next(4); i > 0; i--)
        {
            result.Fields["k" + Text()] = NextValue(depth + 1);
        }

        return result;
    }

    private ListValue NextList(int depth)
    {
        var list = new ListValue();
        for (var i = depth >= MaxDepth ? 0 : random.Next(4); i > 0; i--)
        {
            list.Values.Add(NextValue(depth + 1));
        }

        return list;
    }

    private Value NextValue(int depth) => random.Next(depth >= MaxDepth ? 4 : 6) switch
    {
        0 => Google.Protobuf.WellKnownTypes.Value.ForNull(),
        1 => Google.Protobuf.WellKnownTypes.Value.ForNumber(Double()),
        2 => Google.Protobuf.WellKnownTypes.Value.ForString(Text()),
        3 => Google.Protobuf.WellKnownTypes.Value.ForBool(random.Next(2) == 0),
        4 => Google.Protobuf.WellKnownTypes.Value.ForStruct(NextStruct(depth + 1)),
        _ => Google.Protobuf.WellKnownTypes.Value.ForList([.. NextList(depth + 1).Values]),
    };

    private Any NextAny(int depth)
    {
        if (depth >= MaxDepth || random.Next(6) == 0)
        {
            return new Any();
        }

        return Google.Protobuf.WellKnownTypes.Any.Pack(Next(AnyBodies[random.Next(AnyBodies.Length)], depth + 1));
    }
}
