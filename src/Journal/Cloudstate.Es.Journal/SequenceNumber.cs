namespace Cloudstate.Es.Journal;

/// <summary>The position of an event in its stream: the first event is 1, an empty stream is at <see cref="None"/>.</summary>
public readonly record struct SequenceNumber(long Value) : IComparable<SequenceNumber>
{
    /// <summary>The position of an empty stream.</summary>
    public static readonly SequenceNumber None = new(0);

    /// <summary>The first event of a stream.</summary>
    public static readonly SequenceNumber First = new(1);

    public SequenceNumber Next => new(Value + 1);

    public int CompareTo(SequenceNumber other) => Value.CompareTo(other.Value);

    public static bool operator <(SequenceNumber left, SequenceNumber right) => left.Value < right.Value;
    public static bool operator >(SequenceNumber left, SequenceNumber right) => left.Value > right.Value;
    public static bool operator <=(SequenceNumber left, SequenceNumber right) => left.Value <= right.Value;
    public static bool operator >=(SequenceNumber left, SequenceNumber right) => left.Value >= right.Value;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
