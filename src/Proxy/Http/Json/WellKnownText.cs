namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>The string forms of Timestamp, Duration and FieldMask paths, read exactly as Google.Protobuf's JsonParser reads them.</summary>
internal static class WellKnownText
{
    public const long MinTimestampSeconds = -62135596800; // 0001-01-01T00:00:00Z
    public const long MaxTimestampSeconds = 253402300799; // 9999-12-31T23:59:59Z
    public const long MaxDurationSeconds = 315576000000; // 10,000 years

    /// <summary>RFC 3339 with 0 to 9 fractional digits and an offset of at most 18 hours (JsonParser's pattern and checks).</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, out long seconds, out int nanos)
    {
        seconds = 0;
        nanos = 0;
        text = WithoutFinalNewline(text);
        if (text.Length < 20
            || !Digits(text[..4], out var year) || text[4] != '-' || text[5] is not ((byte)'0' or (byte)'1') || !Digits(text.Slice(5, 2), out var month)
            || text[7] != '-' || text[8] is < (byte)'0' or > (byte)'3' || !Digits(text.Slice(8, 2), out var day)
            || text[10] != 'T' || text[11] is < (byte)'0' or > (byte)'2' || !Digits(text.Slice(11, 2), out var hour)
            || text[13] != ':' || text[14] is < (byte)'0' or > (byte)'5' || !Digits(text.Slice(14, 2), out var minute)
            || text[16] != ':' || text[17] is < (byte)'0' or > (byte)'5' || !Digits(text.Slice(17, 2), out var second))
        {
            return false;
        }

        var rest = text[19..];
        if (!Fraction(ref rest, out nanos))
        {
            return false;
        }

        var offsetMinutes = 0;
        if (rest is not [(byte)'Z'])
        {
            if (rest.Length != 6 || rest[0] is not ((byte)'+' or (byte)'-') || rest[1] is not ((byte)'0' or (byte)'1') || rest[3] != ':'
                || rest[4] is < (byte)'0' or > (byte)'5' || !Digits(rest.Slice(1, 2), out var offsetHours) || !Digits(rest.Slice(4, 2), out var minutes))
            {
                return false;
            }

            var total = (offsetHours * 60) + minutes;
            if (total > 18 * 60 || (total == 0 && rest[0] == '-'))
            {
                // More than 18 hours, or -00:00, which means an unknown offset.
                return false;
            }

            // The offset is subtracted from local time to reach UTC.
            offsetMinutes = rest[0] == '-' ? total : -total;
        }

        if (year == 0 || month is 0 or > 12 || day == 0 || day > DateTime.DaysInMonth(year, month) || hour > 23)
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        seconds = ((local - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerSecond) + (offsetMinutes * 60L);
        return seconds is >= MinTimestampSeconds and <= MaxTimestampSeconds;
    }

    /// <summary>Optional '-', 1 to 12 digits without a leading zero, 0 to 9 fractional digits, then 's'.</summary>
    public static bool TryParseDuration(ReadOnlySpan<byte> text, out long seconds, out int nanos)
    {
        seconds = 0;
        nanos = 0;
        text = WithoutFinalNewline(text);
        var negative = text is [(byte)'-', ..];
        if (negative)
        {
            text = text[1..];
        }

        var digits = text.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (digits is < 1 or > 12 || (text[0] == '0' && digits > 1) || text[^1] != 's')
        {
            return false;
        }

        seconds = long.Parse(text[..digits], provider: System.Globalization.CultureInfo.InvariantCulture);
        var rest = text[digits..^1];
        if (!Fraction(ref rest, out nanos) || !rest.IsEmpty || seconds > MaxDurationSeconds)
        {
            return false;
        }

        if (negative)
        {
            seconds = -seconds;
            nanos = -nanos;
        }

        return true;
    }

    /// <summary>Writes a lowerCamelCase path in snake_case; -1 if it holds an underscore, which JsonParser refuses.</summary>
    public static int SnakeCase(ReadOnlySpan<byte> camel, Span<byte> snake)
    {
        var length = 0;
        var afterAny = false;
        var afterNonCapital = false;
        for (var i = 0; i < camel.Length; i++)
        {
            var c = camel[i];
            if (c is >= (byte)'A' and <= (byte)'Z')
            {
                // An underscore after a lower-case letter, or before one: "gBike" and "GBike" both give "g_bike".
                if (afterAny && (afterNonCapital || (i + 1 < camel.Length && camel[i + 1] is >= (byte)'a' and <= (byte)'z')))
                {
                    snake[length++] = (byte)'_';
                }

                snake[length++] = (byte)(c - 'A' + 'a');
                afterNonCapital = false;
            }
            else
            {
                if (c == '_')
                {
                    return -1;
                }

                snake[length++] = c;
                afterNonCapital = true;
            }

            afterAny = true;
        }

        return length;
    }

    // .NET's '$' also matches before a final newline, and JsonParser's patterns end with it.
    private static ReadOnlySpan<byte> WithoutFinalNewline(ReadOnlySpan<byte> text) =>
        text is [.., (byte)'\n'] ? text[..^1] : text;

    /// <summary>An optional '.' and 1 to 9 digits at the start of <paramref name="rest"/>, as nanoseconds.</summary>
    private static bool Fraction(ref ReadOnlySpan<byte> rest, out int nanos)
    {
        nanos = 0;
        if (rest is not [(byte)'.', ..])
        {
            return true;
        }

        var digits = rest[1..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (digits < 0)
        {
            digits = rest.Length - 1;
        }

        if (digits is < 1 or > 9 || !Digits(rest.Slice(1, digits), out nanos))
        {
            return false;
        }

        for (var i = digits; i < 9; i++)
        {
            nanos *= 10;
        }

        rest = rest[(digits + 1)..];
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
