using System.Buffers;
using System.Globalization;
using Google.Protobuf;

namespace Cloudstate.Es.Proxy.Http.Json;

internal sealed partial class WireToJson
{
    private const long MinTimestampSeconds = -62135596800; // 0001-01-01T00:00:00Z
    private const long MaxTimestampSeconds = 253402300799; // 9999-12-31T23:59:59Z
    private const long MaxDurationSeconds = 315576000000;

    private void Timestamp(ReadOnlySpan<byte> data)
    {
        SecondsAndNanos(data, out var seconds, out var nanos);
        if (seconds is < MinTimestampSeconds or > MaxTimestampSeconds || nanos is < 0 or > 999_999_999)
        {
            throw path.Error($"a google.protobuf.Timestamp of {seconds} s and {nanos} ns is out of range");
        }

        var time = DateTime.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond);
        Span<byte> text = stackalloc byte[32];
        time.TryFormat(text, out var written, "yyyy'-'MM'-'dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        output.Raw((byte)'"');
        output.Raw(text[..written]);
        Nanoseconds(nanos);
        output.Raw("Z\""u8);
    }

    private void Duration(ReadOnlySpan<byte> data)
    {
        SecondsAndNanos(data, out var seconds, out var nanos);
        if (seconds is < -MaxDurationSeconds or > MaxDurationSeconds || nanos is < -999_999_999 or > 999_999_999
            || Math.Sign(seconds) * Math.Sign(nanos) == -1)
        {
            throw path.Error($"a google.protobuf.Duration of {seconds} s and {nanos} ns is out of range or not normalized");
        }

        output.Raw((byte)'"');
        if (seconds == 0 && nanos < 0)
        {
            output.Raw((byte)'-');
        }

        Span<byte> text = stackalloc byte[24];
        seconds.TryFormat(text, out var written, default, CultureInfo.InvariantCulture);
        output.Raw(text[..written]);
        Nanoseconds(Math.Abs(nanos));
        output.Raw("s\""u8);
    }

    // 0, 3, 6 or 9 fractional digits, as Google.Protobuf writes them.
    private void Nanoseconds(int nanos)
    {
        if (nanos == 0)
        {
            return;
        }

        var (value, digits) = nanos % 1_000_000 == 0 ? (nanos / 1_000_000, "D3") : nanos % 1000 == 0 ? (nanos / 1000, "D6") : (nanos, "D9");
        Span<byte> text = stackalloc byte[12];
        text[0] = (byte)'.';
        value.TryFormat(text[1..], out var written, digits, CultureInfo.InvariantCulture);
        output.Raw(text[..(written + 1)]);
    }

    private static void SecondsAndNanos(ReadOnlySpan<byte> data, out long seconds, out int nanos)
    {
        seconds = 0;
        nanos = 0;
        var reader = new WireReader(data);
        while (!reader.End)
        {
            var tag = reader.Tag();
            if (tag == 8)
            {
                seconds = (long)reader.Varint();
            }
            else if (tag == 16)
            {
                nanos = (int)reader.Varint();
            }
            else
            {
                reader.Skip(tag);
            }
        }
    }

    /// <summary>The paths in lowerCamelCase, joined by commas, as one escaped string.</summary>
    private void FieldMask(ReadOnlySpan<byte> data)
    {
        // Camel-casing only drops bytes, and each path brings a tag and a length to spare for its comma.
        var joined = ArrayPool<byte>.Shared.Rent(data.Length);
        try
        {
            var length = 0;
            var count = 0;
            var reader = new WireReader(data);
            while (!reader.End)
            {
                var tag = reader.Tag();
                if (tag != 10)
                {
                    reader.Skip(tag);
                    continue;
                }

                var text = reader.LengthDelimited();
                if (count++ > 0)
                {
                    joined[length++] = (byte)',';
                }

                length = CamelCase(text, joined, length);
            }

            Text(joined.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(joined);
        }
    }

    private int CamelCase(ReadOnlySpan<byte> snake, byte[] joined, int length)
    {
        var upper = false;
        for (var i = 0; i < snake.Length; i++)
        {
            var c = snake[i];
            if (c is >= (byte)'A' and <= (byte)'Z' || (c == '_' && i + 1 < snake.Length && snake[i + 1] is < (byte)'a' or > (byte)'z'))
            {
                throw path.Error($"the google.protobuf.FieldMask path '{System.Text.Encoding.UTF8.GetString(snake)}' has no lowerCamelCase form");
            }

            if (c == '_')
            {
                upper = true;
                continue;
            }

            joined[length++] = upper ? (byte)(c - 'a' + 'A') : c;
            upper = false;
        }

        return length;
    }

    private void Struct(MessagePlan plan, ReadOnlySpan<byte> data)
    {
        var field = plan.Fields[0];
        Span<int> found = stackalloc int[3];
        Find(field, data, found);
        Map(field, data, found[1], found[0] == 0 ? -1 : found[2], found[0], rejectEmptyKeys: true);
    }

    private void ListValue(MessagePlan plan, ReadOnlySpan<byte> data)
    {
        var field = plan.Fields[0];
        Span<int> found = stackalloc int[3];
        Find(field, data, found);
        List(field, data, found[1], found[0] == 0 ? -1 : found[2]);
    }

    /// <summary>Counts the occurrences of <paramref name="field"/> and notes the first and last tag offsets.</summary>
    private static void Find(FieldPlan field, ReadOnlySpan<byte> data, Span<int> found)
    {
        var reader = new WireReader(data);
        while (!reader.End)
        {
            var at = reader.Position;
            var tag = reader.Tag();
            reader.Skip(tag);
            if (tag >> 3 == field.Number && field.Accepts((WireFormat.WireType)(tag & 7)))
            {
                if (found[0]++ == 0)
                {
                    found[1] = at;
                }

                found[2] = at;
            }
        }
    }

    /// <summary>A google.protobuf.Value shows the member of its kind oneof that it holds.</summary>
    private void Value(MessagePlan plan, ReadOnlySpan<byte> data)
    {
        var rented = ArrayPool<int>.Shared.Rent(Occurrences.Size(plan));
        try
        {
            var seen = new Occurrences(rented, plan);
            seen.Scan(plan, data);
            var kind = seen.Winner(plan, 0) ?? throw path.Error("a google.protobuf.Value has no kind set");
            seen.Shown(kind, out var from, out var last);
            ValueAt(kind, data, from, last);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>A wrapper shows the value it wraps.</summary>
    private void Wrapper(MessagePlan plan, ReadOnlySpan<byte> data) => WrappedValue(plan, data);

    private void Any(MessagePlan plan, ReadOnlySpan<byte> data)
    {
        var rented = ArrayPool<int>.Shared.Rent(Occurrences.Size(plan));
        try
        {
            var seen = new Occurrences(rented, plan);
            seen.Scan(plan, data);
            var url = seen.Shown(plan.Fields[0], out _, out var at) ? LengthDelimitedAt(data, at) : default;
            var body = seen.Shown(plan.Fields[1], out _, out at) ? LengthDelimitedAt(data, at) : default;
            if (url.IsEmpty)
            {
                output.Raw("{ }"u8);
                return;
            }

            // A URL without a slash names no type, as Any.GetTypeName has it.
            var slash = url.LastIndexOf((byte)'/');
            if (slash < 0 || !anyTypes.TryFind(url[(slash + 1)..], out var type))
            {
                throw path.Error($"the type of a google.protobuf.Any, '{System.Text.Encoding.UTF8.GetString(url)}', is not one the codec was given");
            }

            var bodyPlan = plans.For(type);
            output.Raw("{ \"@type\": "u8);
            Text(url);
            if (bodyPlan.ShownAsValueInAny)
            {
                output.Raw(", \"value\": "u8);
                path.Push("value");
                Message(bodyPlan, body);
                path.Pop();
            }
            else
            {
                Fields(bodyPlan, body, first: false);
            }

            output.Raw(" }"u8);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    private static ReadOnlySpan<byte> LengthDelimitedAt(ReadOnlySpan<byte> data, int at)
    {
        var reader = new WireReader(data);
        reader.Seek(at);
        reader.Tag();
        return reader.LengthDelimited();
    }
}
