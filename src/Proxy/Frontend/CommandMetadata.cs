using System.Text;
using Cloudstate.Es.Protocol;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Proxy.Frontend;

/// <summary>
/// Turns request headers into a command's metadata and a reply's metadata into response headers, the same way for
/// both front ends. Headers that describe the connection or the transport, not the command, stay behind (see
/// <see cref="IsForwarded"/>); what goes either way is bounded by Kestrel's default request header limits (100
/// headers, 32 KiB). A reply entry that is not a valid, unreserved header is dropped with a warning: the reply still
/// reaches the client.
/// </summary>
internal sealed partial class CommandMetadata(ILogger<CommandMetadata> logger)
{
    /// <summary>Kestrel's default MaxRequestHeaderCount.</summary>
    public const int MaxEntries = 100;

    /// <summary>Kestrel's default MaxRequestHeadersTotalSize, counted as the names' and values' lengths.</summary>
    public const int MaxBytes = 32 * 1024;

    // Hop-by-hop headers (RFC 9110 7.6.1, and the ones Envoy strips), host (HTTP/1's :authority, which Envoy turns
    // into that pseudo-header), and the headers that frame the body, which the proxy decodes and re-encodes.
    private static readonly HashSet<string> Transport = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "host",
        "content-type", "content-length", "content-encoding", "accept-encoding",
    };

    /// <summary>
    /// Whether a request header becomes command metadata: not a pseudo-header (:path, :authority...), not a transport
    /// header above, and not grpc-*, which gRPC reserves for itself (grpc-timeout, grpc-encoding, grpc-accept-encoding).
    /// Everything else goes, user-agent, authorization and cookies included, as Envoy forwards them to its upstream.
    /// </summary>
    public static bool IsForwarded(string name) =>
        name.Length > 0 && name[0] != ':' && !Transport.Contains(name) && !name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The command metadata of a request's headers; null when none is forwarded. Read straight from the request, once
    /// per command: gRPC's own view of the headers would build an entry for every header first. With
    /// <paramref name="grpc"/>, a -bin header's value is its bytes in base64, as gRPC sends them.
    /// </summary>
    public static Metadata? FromHeaders(IHeaderDictionary headers, bool grpc)
    {
        Metadata? metadata = null;
        var bytes = 0;
        foreach (var (name, values) in headers)
        {
            if (!IsForwarded(name))
                continue;
            var binary = grpc && name.EndsWith("-bin", StringComparison.OrdinalIgnoreCase);
            foreach (var value in values)
            {
                var text = value ?? "";
                bytes += name.Length + text.Length;
                metadata ??= new Metadata();
                if (metadata.Entries.Count == MaxEntries || bytes > MaxBytes)
                    return metadata;
                var key = name.ToLowerInvariant();
                metadata.Entries.Add(binary
                    ? new MetadataEntry { Key = key, BytesValue = UnsafeByteOperations.UnsafeWrap(Base64(text)) }
                    : new MetadataEntry { Key = key, StringValue = text });
            }
        }

        return metadata;
    }

    /// <summary>gRPC's base64 for -bin values, which may leave out the padding.</summary>
    private static byte[] Base64(string text)
    {
        var padded = (text.Length % 4) switch { 2 => text + "==", 3 => text + "=", _ => text };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            // Not base64 after all: the bytes as sent.
            return Encoding.ASCII.GetBytes(text);
        }
    }

    /// <summary>
    /// The reply's entries that are valid response headers, as (lower-case name, text) or (name ending in -bin, bytes).
    /// Dropped, with a warning: names that are not lower-case letters, digits, '-', '_' or '.' (what gRPC allows);
    /// reserved names (transport, pseudo-headers, grpc-*); text with anything but visible ASCII, space and tab (so no
    /// CR/LF); text under a -bin name or bytes under another; and whatever passes the bounds.
    /// </summary>
    public IEnumerable<(string Name, string? Text, byte[]? Binary)> ToHeaders(Metadata? metadata, string service, string command)
    {
        var bytes = 0;
        var count = 0;
        foreach (var entry in metadata?.Entries ?? [])
        {
            var key = entry.Key.ToLowerInvariant();
            var binary = entry.ValueCase == MetadataEntry.ValueOneofCase.BytesValue;
            var problem = Problem(key, entry, binary);
            bytes += key.Length + (binary ? entry.BytesValue.Length : entry.StringValue.Length);
            if (problem is null && (count == MaxEntries || bytes > MaxBytes))
                problem = $"beyond the bounds of {MaxEntries} entries and {MaxBytes} bytes";
            if (problem is not null)
            {
                LogReplyHeaderDropped(logger, service, command, Printable(entry.Key), problem);
                continue;
            }

            count++;
            yield return binary ? (key, null, entry.BytesValue.ToByteArray()) : (key, entry.StringValue, null);
        }
    }

    private static string? Problem(string key, MetadataEntry entry, bool binary)
    {
        if (key.Length == 0 || !key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            return "the name is not a valid header name";
        if (!IsForwarded(key))
            return "the name is reserved for the transport";
        if (binary != key.EndsWith("-bin", StringComparison.Ordinal))
            return binary ? "a binary value needs a name ending in -bin" : "a name ending in -bin needs a binary value";
        if (!binary && !entry.StringValue.All(c => c is '\t' or (>= ' ' and <= '~')))
            return "the value has characters other than visible ASCII, space and tab";
        return null;
    }

    private static string Printable(string key) => key.Length <= 64 && key.All(c => c is >= ' ' and <= '~')
        ? key
        : Convert.ToHexString(Encoding.UTF8.GetBytes(key[..Math.Min(key.Length, 64)]));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply metadata '{Key}' of {Service}/{Command} is not sent to the client: {Problem}")]
    private static partial void LogReplyHeaderDropped(ILogger logger, string service, string command, string key, string problem);
}
