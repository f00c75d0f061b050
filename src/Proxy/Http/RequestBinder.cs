using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudstate.Es.Proxy.Http.Json;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http;

namespace Cloudstate.Es.Proxy.Http;

/// <summary>
/// Builds the JSON of a request message from an HTTP request: the body (all of it, or one field), then the query
/// parameters (when the body is not the whole message), then the path variables, each put at its field path.
/// </summary>
internal static class RequestBinder
{
    public static byte[] Bind(HttpRoute route, ReadOnlyMemory<byte> body, List<KeyValuePair<string, string>> path, IQueryCollection query)
    {
        var wholeBody = route.Body == "*";
        if (wholeBody && path.Count == 0 && query.Count == 0)
            return body.IsEmpty ? "{}"u8.ToArray() : body.ToArray();

        var input = route.Method.Descriptor.InputType;
        var root = new JsonObject();
        if (wholeBody)
        {
            root = body.IsEmpty ? root : Parse(body) as JsonObject ?? throw new BadRequestException("The body must be a JSON object.");
        }
        else if (route.Body.Length > 0 && !body.IsEmpty)
        {
            SetPath(root, input, route.Body, Parse(body), "body");
        }
        else if (route.Body.Length == 0 && !body.IsEmpty)
        {
            throw new BadRequestException($"{route.HttpMethod} {route.Template} takes no body.");
        }

        if (!wholeBody)
        {
            foreach (var (name, values) in query)
            {
                var field = FindPath(input, name, "query parameter");
                SetPath(root, input, name, field.IsRepeated ? new JsonArray(values.Select(v => FromText(field, v!, name)).ToArray()) : FromText(field, values[^1]!, name), "query parameter");
            }
        }

        foreach (var (fieldPath, value) in path)
            SetPath(root, input, fieldPath, FromText(FindPath(input, fieldPath, "path variable"), value, fieldPath), "path variable");
        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    private static JsonNode? Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonNode.Parse(body.Span);
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"The body is not valid JSON: it is malformed {JsonCodecException.Where(e)}.");
        }
    }

    /// <summary>The field a dotted path names, by proto or JSON names; 400 when it names none.</summary>
    private static FieldDescriptor FindPath(MessageDescriptor type, string fieldPath, string what) =>
        FieldPath.Find(type, fieldPath, jsonNames: true, out var problem) ?? throw new BadRequestException($"The {what} {problem}.");

    private static void SetPath(JsonObject root, MessageDescriptor type, string fieldPath, JsonNode? value, string what)
    {
        var names = fieldPath.Split('.');
        var target = root;
        for (var i = 0; i < names.Length; i++)
        {
            var field = type.FindFieldByName(names[i]) ?? type.Fields.InDeclarationOrder().First(f => f.JsonName == names[i]);
            // The field may already be there under its other name (JSON or proto); one name is kept.
            var existing = target[field.JsonName] ?? target[field.Name];
            target.Remove(field.Name);
            target.Remove(field.JsonName);
            if (i == names.Length - 1)
            {
                target[field.JsonName] = value;
                return;
            }

            var next = existing as JsonObject ?? (existing is null ? new JsonObject() : throw new BadRequestException($"The {what} '{fieldPath}' needs '{field.Name}' to be an object."));
            target[field.JsonName] = next;
            target = next;
            type = field.MessageType;
        }
    }

    /// <summary>A path or query text as the JSON value its field takes; proto3 JSON accepts strings for numbers.</summary>
    private static JsonNode FromText(FieldDescriptor field, string text, string name)
    {
        var type = field.FieldType;
        if (type == FieldType.Message)
        {
            if (IsWrapper(field.MessageType))
                type = field.MessageType.FindFieldByNumber(1).FieldType;
            else if (field.MessageType.FullName is "google.protobuf.Timestamp" or "google.protobuf.Duration" or "google.protobuf.FieldMask")
                return JsonValue.Create(text);
            else
                throw new BadRequestException($"The field '{name}' is a {field.MessageType.FullName} message and cannot be given in the path or query.");
        }

        if (type != FieldType.Bool)
            return JsonValue.Create(text);
        return text switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ => throw new BadRequestException($"The field '{name}' is a bool: '{text}' is neither true nor false."),
        };
    }

    private static bool IsWrapper(MessageDescriptor type) => type.FullName is "google.protobuf.DoubleValue" or "google.protobuf.FloatValue"
        or "google.protobuf.Int64Value" or "google.protobuf.UInt64Value" or "google.protobuf.Int32Value" or "google.protobuf.UInt32Value"
        or "google.protobuf.BoolValue" or "google.protobuf.StringValue" or "google.protobuf.BytesValue";
}

/// <summary>The HTTP request cannot become a command; the message says why (answered with 400).</summary>
internal sealed class BadRequestException(string message) : Exception(message);
