using System.Buffers;
using System.Text;

namespace Cloudstate.Es.Proxy.Http.Json;

internal sealed partial class JsonOutput
{
    // Bytes that JsonFormatter.WriteString does not copy as they are: controls, '"', '\\', '<', '>', DEL and every non-ASCII byte.
    private static readonly SearchValues<byte> Special = SearchValues.Create(BuildSpecial());

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>Writes a quoted string escaped exactly as JsonFormatter.WriteString escapes it; false if the bytes are not UTF-8.</summary>
    public bool String(ReadOnlySpan<byte> utf8)
    {
        Raw((byte)'"');
        while (!utf8.IsEmpty)
        {
            var plain = utf8.IndexOfAny(Special);
            if (plain < 0)
            {
                Raw(utf8);
                break;
            }

            Raw(utf8[..plain]);
            utf8 = utf8[plain..];
            var b = utf8[0];
            if (b < 0x80)
            {
                Ascii(b);
                utf8 = utf8[1..];
                continue;
            }

            if (Rune.DecodeFromUtf8(utf8, out var rune, out var consumed) != OperationStatus.Done)
            {
                return false;
            }

            NonAscii(rune, utf8[..consumed]);
            utf8 = utf8[consumed..];
        }

        Raw((byte)'"');
        return true;
    }

    public void String(string text) => String(Encoding.UTF8.GetBytes(text));

    private void Ascii(byte b)
    {
        switch (b)
        {
            case (byte)'"': Raw("\\\""u8); break;
            case (byte)'\\': Raw("\\\\"u8); break;
            case (byte)'\b': Raw("\\b"u8); break;
            case (byte)'\t': Raw("\\t"u8); break;
            case (byte)'\n': Raw("\\n"u8); break;
            case (byte)'\f': Raw("\\f"u8); break;
            case (byte)'\r': Raw("\\r"u8); break;
            default: Unicode(b); break;
        }
    }

    private void NonAscii(Rune rune, ReadOnlySpan<byte> encoded)
    {
        var value = rune.Value;
        if (value >= 0x10000)
        {
            // JsonFormatter escapes both halves of every surrogate pair.
            Span<char> pair = stackalloc char[2];
            rune.EncodeToUtf16(pair);
            Unicode(pair[0]);
            Unicode(pair[1]);
        }
        else if (value < 0xa0 || EscapedForJavaScript(value))
        {
            Unicode(value);
        }
        else
        {
            Raw(encoded);
        }
    }

    // Invisible or separating characters that JsonFormatter escapes to keep JavaScript consumers safe.
    private static bool EscapedForJavaScript(int c) =>
        c is 0xad or 0x6dd or 0x70f or 0x17b4 or 0x17b5 or 0xfeff or (>= 0xfff9 and <= 0xfffb)
            or (>= 0x600 and <= 0x603) or (>= 0x200b and <= 0x200f) or (>= 0x2028 and <= 0x202e)
            or (>= 0x2060 and <= 0x2064) or (>= 0x206a and <= 0x206f);

    private void Unicode(int c)
    {
        Span<byte> escape = [(byte)'\\', (byte)'u', Hex[(c >> 12) & 0xf], Hex[(c >> 8) & 0xf], Hex[(c >> 4) & 0xf], Hex[c & 0xf]];
        Raw(escape);
    }

    private static byte[] BuildSpecial()
    {
        var special = new List<byte>();
        for (var b = 0; b < 256; b++)
        {
            if (b < 0x20 || b >= 0x7f || b is '"' or '\\' or '<' or '>')
            {
                special.Add((byte)b);
            }
        }

        return [.. special];
    }
}
