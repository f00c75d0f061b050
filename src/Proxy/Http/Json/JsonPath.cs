using System.Text;
using System.Text.Json;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>Where the codec is in the JSON document, kept cheaply and spelled out only for an error message.</summary>
internal sealed class JsonPath
{
    // Small to start: a path is made per call, and most documents are a few levels deep; it grows when they are not.
    private Segment[] segments = new Segment[4];
    private int count;

    public void Push(string name) => Push(new Segment(name, -1, default));

    public void Push(int index) => Push(new Segment(null, index, default));

    /// <summary>A map key, whose name is read only if an error needs it.</summary>
    public void Push(JsonProperty key) => Push(new Segment(null, -1, key));

    public void Pop() => count--;

    public JsonCodecException Error(string problem, Exception? inner = null) => new(ToString(), problem, inner);

    public override string ToString()
    {
        var text = new StringBuilder("$");
        foreach (var segment in segments.AsSpan(0, count))
        {
            if (segment.Name is null && segment.Index >= 0)
            {
                text.Append('[').Append(segment.Index).Append(']');
                continue;
            }

            var name = segment.Name ?? NameOf(segment.Key);
            if (IsIdentifier(name))
            {
                text.Append('.').Append(name);
            }
            else
            {
                text.Append("['").Append(name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
            }
        }

        return text.ToString();
    }

    /// <summary>A property's name, or its raw text when the name is not valid UTF-8.</summary>
    public static string NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(property));
        }
    }

    private void Push(Segment segment)
    {
        if (count == segments.Length)
        {
            Array.Resize(ref segments, count * 2);
        }

        segments[count++] = segment;
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '@');

    private readonly record struct Segment(string? Name, int Index, JsonProperty Key);
}
