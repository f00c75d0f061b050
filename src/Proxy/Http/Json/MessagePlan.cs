using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>What the codec needs to know about a message type: its fields in number order, found by number or JSON name.</summary>
internal sealed class MessagePlan
{
    // Field numbers below this are found by indexing an array; larger ones through a dictionary.
    private const int DenseLimit = 256;

    private readonly FieldPlan?[] byNumber;
    private readonly Dictionary<int, FieldPlan>? sparse;

    public MessagePlan(MessageDescriptor descriptor, PlanCache plans)
    {
        Descriptor = descriptor;
        WellKnown = WellKnownTypes.Of(descriptor);
        ShownAsValueInAny = WellKnownTypes.ShownAsValueInAny(descriptor);
        var oneofs = descriptor.Oneofs;
        OneofNames = [.. oneofs.Select(o => o.Name)];
        Fields = [.. descriptor.Fields.InFieldNumberOrder().Select((f, i) =>
            new FieldPlan(f, i, f.ContainingOneof is { } o ? oneofs.IndexOf(o) : -1, plans))];

        byNumber = new FieldPlan?[Math.Min(DenseLimit, Fields.Length == 0 ? 0 : Fields[^1].Number + 1)];
        foreach (var field in Fields)
        {
            if (field.Number < byNumber.Length)
            {
                byNumber[field.Number] = field;
            }
            else
            {
                (sparse ??= [])[field.Number] = field;
            }
        }

        // JSON names win over proto names that happen to be equal, as in Google.Protobuf's parser.
        ByName = new Utf8NameTable<FieldPlan>(
            Fields.Select(f => KeyValuePair.Create(f.Descriptor.Name, f))
                .Concat(Fields.Select(f => KeyValuePair.Create(f.JsonName, f))));
    }

    public MessageDescriptor Descriptor { get; }

    public string FullName => Descriptor.FullName;

    public WellKnownType WellKnown { get; }

    public bool ShownAsValueInAny { get; }

    /// <summary>The fields in number order; a field's <see cref="FieldPlan.Index"/> is its place here.</summary>
    public FieldPlan[] Fields { get; }

    /// <summary>The oneofs, synthetic ones of proto3 optional fields included.</summary>
    public string[] OneofNames { get; }

    public Utf8NameTable<FieldPlan> ByName { get; }

    public FieldPlan? FieldByNumber(int number) =>
        (uint)number < (uint)byNumber.Length ? byNumber[number]
        : sparse is not null && sparse.TryGetValue(number, out var field) ? field
        : null;
}
