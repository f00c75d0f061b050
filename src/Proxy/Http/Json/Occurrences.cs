using Google.Protobuf;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>
/// Where each field of a message occurs in its wire bytes (how often, the first and last tag offsets) and which member
/// of each oneof came last, with the offset where its final run began: what the parsed message would hold.
/// </summary>
internal readonly ref struct Occurrences
{
    private readonly Span<int> slots;
    private readonly int oneofBase;

    public Occurrences(int[] rented, MessagePlan plan)
    {
        slots = rented.AsSpan(0, Size(plan));
        slots.Clear();
        oneofBase = plan.Fields.Length * 3;
    }

    public static int Size(MessagePlan plan) => (plan.Fields.Length * 3) + (plan.OneofNames.Length * 2);

    public void Scan(MessagePlan plan, ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        while (!reader.End)
        {
            var at = reader.Position;
            var tag = reader.Tag();
            reader.Skip(tag);
            var field = plan.FieldByNumber((int)(tag >> 3));
            if (field is null || !field.Accepts((WireFormat.WireType)(tag & 7)))
            {
                // The C# parser keeps these as unknown fields, which JSON does not show.
                continue;
            }

            var slot = field.Index * 3;
            if (slots[slot]++ == 0)
            {
                slots[slot + 1] = at;
            }

            slots[slot + 2] = at;
            if (field.OneofIndex >= 0)
            {
                var oneof = oneofBase + (field.OneofIndex * 2);
                if (slots[oneof] != field.Index + 1)
                {
                    slots[oneof] = field.Index + 1;
                    slots[oneof + 1] = at;
                }
            }
        }
    }

    public int Count(FieldPlan field) => slots[field.Index * 3];

    /// <summary>The tag offsets of the first and last occurrences of <paramref name="field"/>, whichever counts.</summary>
    public void Range(FieldPlan field, out int first, out int last)
    {
        first = slots[(field.Index * 3) + 1];
        last = slots[(field.Index * 3) + 2];
    }

    /// <summary>
    /// Whether the parsed message holds <paramref name="field"/>, and the offsets of the occurrences that make up its
    /// value: for a oneof member, only those after another member last replaced it.
    /// </summary>
    public bool Shown(FieldPlan field, out int from, out int last)
    {
        var slot = field.Index * 3;
        from = slots[slot + 1];
        last = slots[slot + 2];
        if (slots[slot] == 0)
        {
            return false;
        }

        if (field.OneofIndex >= 0)
        {
            var oneof = oneofBase + (field.OneofIndex * 2);
            if (slots[oneof] != field.Index + 1)
            {
                return false;
            }

            from = slots[oneof + 1];
        }

        return true;
    }

    /// <summary>The member of oneof <paramref name="oneofIndex"/> that the parsed message holds, if any.</summary>
    public FieldPlan? Winner(MessagePlan plan, int oneofIndex)
    {
        var winner = slots[oneofBase + (oneofIndex * 2)];
        return winner == 0 ? null : plan.Fields[winner - 1];
    }
}
