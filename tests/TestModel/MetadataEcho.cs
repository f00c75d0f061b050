using Cloudstate.Es.Sdk.EventSourced;

namespace Cloudstate.Es.TestModel;

/// <summary>
/// How the test entities answer a command's metadata: each x-echo-NAME entry comes back as x-echoed-NAME (text or
/// bytes), x-seen lists every key the handler saw, and x-reply-invalid asks for reply entries no header may carry.
/// </summary>
public static class MetadataEcho
{
    public const string Seen = "x-seen";

    public static void Answer<TState>(CommandContext<TState> context)
    {
        if (context.Metadata.Count == 0)
            return;
        foreach (var entry in context.Metadata.Where(e => e.Key.StartsWith("x-echo-", StringComparison.Ordinal)))
        {
            var key = "x-echoed-" + entry.Key["x-echo-".Length..];
            if (entry.Text is { } text)
                context.ReplyMetadata.Add(key, text);
            else
                context.ReplyMetadata.Add(key, entry.Binary);
        }

        context.ReplyMetadata.Add(Seen, string.Join(",", context.Metadata.Select(e => e.Key)));
        if (context.Metadata.Get("x-reply-invalid") is not null)
        {
            context.ReplyMetadata
                .Add("bad name", "v").Add("x-crlf", "a\r\nInjected: b").Add("content-length", "1").Add(":status", "500")
                .Add("grpc-status", "3").Add("x-text-bin", "not bytes").Add("x-bytes", new byte[] { 1 }).Add("x-fine", "ok");
        }
    }
}
