using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>What the codec needs to know about one field: its wire form, its JSON name, and the plans of its type.</summary>
internal sealed class FieldPlan
{
    private readonly PlanCache plans;
    private MessagePlan? message;
    private EnumPlan? enumPlan;

    public FieldPlan(FieldDescriptor descriptor, int index, int oneofIndex, PlanCache plans)
    {
        this.plans = plans;
        Descriptor = descriptor;
        Index = index;
        OneofIndex = oneofIndex;
        Number = descriptor.FieldNumber;
        Type = descriptor.FieldType;
        JsonName = descriptor.JsonName;
        IsMap = descriptor.IsMap;
        IsRepeated = descriptor.IsRepeated && !IsMap;
        HasPresence = descriptor.HasPresence;
        WireType = WireTypeOf(Type);
        Packable = IsRepeated && WireType != WireFormat.WireType.LengthDelimited && Type != FieldType.Group;
        WritePacked = Packable && descriptor.IsPacked;
        MessageKind = Type == FieldType.Message ? WellKnownTypes.Of(descriptor.MessageType) : WellKnownType.None;
        IsNullValue = Type == FieldType.Enum && descriptor.EnumType.FullName == WellKnownTypes.NullValueEnum;

        using var output = new JsonOutput();
        output.String(JsonName);
        output.Raw(": "u8);
        NamePrefix = output.ToArray();
    }

    public FieldDescriptor Descriptor { get; }

    /// <summary>The field's place in <see cref="MessagePlan.Fields"/>.</summary>
    public int Index { get; }

    public int Number { get; }

    public FieldType Type { get; }

    public string JsonName { get; }

    /// <summary>The JSON name, quoted and escaped as JsonFormatter writes it, and the separator after it.</summary>
    public byte[] NamePrefix { get; }

    public bool IsMap { get; }

    /// <summary>A repeated field that is not a map.</summary>
    public bool IsRepeated { get; }

    public bool HasPresence { get; }

    /// <summary>The field's oneof (synthetic ones included) in <see cref="MessagePlan.OneofNames"/>, or -1.</summary>
    public int OneofIndex { get; }

    /// <summary>The wire type of one value (not of a packed run).</summary>
    public WireFormat.WireType WireType { get; }

    /// <summary>A repeated scalar, which the wire may carry packed or one by one.</summary>
    public bool Packable { get; }

    /// <summary>A repeated scalar that Google.Protobuf writes packed.</summary>
    public bool WritePacked { get; }

    /// <summary>For a message field, which well-known type (if any) it holds.</summary>
    public WellKnownType MessageKind { get; }

    /// <summary>A google.protobuf.NullValue field.</summary>
    public bool IsNullValue { get; }

    public MessagePlan Message => message ??= plans.For(Descriptor.MessageType);

    public EnumPlan Enum => enumPlan ??= plans.For(Descriptor.EnumType);

    public FieldPlan MapKey => Message.Fields[0];

    public FieldPlan MapValue => Message.Fields[1];

    /// <summary>Whether a tag with <paramref name="wireType"/> belongs to this field; the C# parser keeps others as unknown fields.</summary>
    public bool Accepts(WireFormat.WireType wireType) =>
        wireType == WireType || (Packable && wireType == WireFormat.WireType.LengthDelimited);

    private static WireFormat.WireType WireTypeOf(FieldType type) => type switch
    {
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireFormat.WireType.Fixed64,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireFormat.WireType.Fixed32,
        FieldType.String or FieldType.Bytes or FieldType.Message => WireFormat.WireType.LengthDelimited,
        FieldType.Group => WireFormat.WireType.StartGroup,
        _ => WireFormat.WireType.Varint,
    };
}
