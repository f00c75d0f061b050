using System.Buffers;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>
/// Converts between protobuf wire bytes and proto3 JSON for message types known only at run time, from their
/// descriptors alone. It reads and writes JSON as Google.Protobuf's JsonParser and JsonFormatter.Default do.
/// Thread-safe; per-type lookups are built once and cached.
/// </summary>
internal sealed class JsonCodec
{
    /// <summary>How deeply messages may nest, as in Google.Protobuf's parsers.</summary>
    public const int RecursionLimit = 100;

    // JsonParser has no depth limit of its own beyond messages; arrays of messages take two levels per message.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 4 * RecursionLimit };

    private readonly PlanCache plans = new();
    private readonly AnyTypes anyTypes;

    /// <param name="anyTypes">
    /// The types a google.protobuf.Any may hold, found by the full name after the last '/' of its type URL; as with
    /// Google.Protobuf's TypeRegistry.FromMessages, all messages of their files and of the files those import count.
    /// </param>
    public JsonCodec(IEnumerable<MessageDescriptor> anyTypes)
    {
        this.anyTypes = new AnyTypes(anyTypes);
    }

    /// <summary>Parses JSON text into the wire bytes of a <paramref name="type"/> message.</summary>
    /// <exception cref="JsonCodecException">The text is not JSON, or does not fit the type.</exception>
    public byte[] ToWire(MessageDescriptor type, ReadOnlySpan<byte> utf8Json)
    {
        // JsonDocument reads from memory it does not copy, so the span goes into a pooled array first.
        var copy = ArrayPool<byte>.Shared.Rent(utf8Json.Length);
        try
        {
            utf8Json.CopyTo(copy);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(copy.AsMemory(0, utf8Json.Length), DocumentOptions);
            }
            catch (JsonException e)
            {
                throw new JsonCodecException(string.IsNullOrEmpty(e.Path) ? "$" : e.Path, "malformed JSON " + JsonCodecException.Where(e), e);
            }

            using (document)
            {
                return ToWire(type, document.RootElement);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>Converts an already parsed JSON value into the wire bytes of a <paramref name="type"/> message.</summary>
    /// <exception cref="JsonCodecException">The value does not fit the type.</exception>
    public byte[] ToWire(MessageDescriptor type, JsonElement json)
    {
        using var output = new WireWriter();
        using var reader = new JsonToWire(plans, anyTypes, output);
        reader.Write(plans.For(type), json);
        return output.ToArray();
    }

    /// <summary>
    /// Writes the JSON of a <paramref name="type"/> message as one value, spelled exactly as
    /// <c>JsonFormatter.Default.Format</c> spells the parsed message (which puts a space after ':' and ',').
    /// </summary>
    /// <exception cref="JsonCodecException">The bytes are malformed, or hold something JSON cannot show.</exception>
    public void WriteJson(Utf8JsonWriter writer, MessageDescriptor type, ReadOnlySpan<byte> wire)
    {
        using var output = Format(type, wire);
        writer.WriteRawValue(output.Written, skipInputValidation: true);
    }

    /// <summary>The JSON text of a <paramref name="type"/> message, as <see cref="WriteJson"/> writes it.</summary>
    /// <exception cref="JsonCodecException">The bytes are malformed, or hold something JSON cannot show.</exception>
    public string ToJson(MessageDescriptor type, ReadOnlySpan<byte> wire)
    {
        using var output = Format(type, wire);
        return output.ToString();
    }

    private JsonOutput Format(MessageDescriptor type, ReadOnlySpan<byte> wire)
    {
        var output = new JsonOutput();
        try
        {
            new WireToJson(plans, anyTypes, output).Write(plans.For(type), wire);
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }
}
