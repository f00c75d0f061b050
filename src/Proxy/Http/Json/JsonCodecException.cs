namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>JSON that does not fit a message type, or wire bytes that cannot be shown as JSON; the message starts with the JSON path of the offending value.</summary>
internal sealed class JsonCodecException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    /// <summary>Where the offending value sits, as a JSON path such as <c>$.items[2].quantity</c>.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with the value, without the path.</summary>
    public string Problem { get; } = problem;

    /// <summary>Where a JSON reader stopped, in the proxy's words ("at line 1, byte 7"): System.Text.Json's own message is
    /// not for clients.</summary>
    public static string Where(System.Text.Json.JsonException e) =>
        e.LineNumber is { } line ? $"at line {line + 1}, byte {(e.BytePositionInLine ?? 0) + 1}" : "at the end of the text";
}
