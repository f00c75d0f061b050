namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>JSON that does not fit a message type, or wire bytes that cannot be shown as JSON; the message starts with the JSON path of the offending value.</summary>
internal sealed class JsonCodecException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    /// <summary>Where the offending value sits, as a JSON path such as <c>$.items[2].quantity</c>.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with the value, without the path.</summary>
    public string Problem { get; } = problem;
}
