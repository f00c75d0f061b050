using Cloudstate.Es.Proxy.Discovery;
using Google.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http;

/// <summary>One HTTP binding of an entity method: verb, path template, where the body goes, what the response is.</summary>
internal sealed class HttpRoute(EntityMethod method, string httpMethod, PathTemplate template, string body, string responseBody)
{
    /// <summary>The option number of <c>google.api.http</c> on MethodOptions.</summary>
    private const int HttpOptionNumber = 72295728;

    public EntityMethod Method => method;

    /// <summary>GET, POST, PUT, DELETE, PATCH or a custom verb's name.</summary>
    public string HttpMethod => httpMethod;

    public PathTemplate Template => template;

    /// <summary><c>*</c> (the whole request), a field name (that field), or empty (no body: the rest from the query).</summary>
    public string Body => body;

    /// <summary>The response field sent as the body, or empty for the whole response.</summary>
    public string ResponseBody => responseBody;

    public override string ToString() => $"{httpMethod} {template} ({method.Service.Name}.{method.Name})";

    /// <summary>
    /// The routes of <paramref name="method"/>: its google.api.http rule and additional bindings, or, without a rule,
    /// <c>POST /package.Service/Method</c> with the whole request as body. Throws <see cref="FormatException"/> for a bad rule.
    /// </summary>
    public static IEnumerable<HttpRoute> For(EntityMethod method)
    {
        var rule = ReadRule(method.Descriptor);
        if (rule is null)
        {
            yield return new HttpRoute(method, "POST", PathTemplate.Parse($"/{method.Service.Name}/{method.Name}"), "*", "");
            yield break;
        }

        yield return FromRule(method, rule);
        foreach (var additional in rule.AdditionalBindings)
        {
            if (additional.AdditionalBindings.Count > 0)
                throw new FormatException($"{method.Service.Name}.{method.Name}: an additional binding may not have additional bindings of its own.");
            yield return FromRule(method, additional);
        }
    }

    private static HttpRoute FromRule(EntityMethod method, HttpRule rule)
    {
        var (verb, path) = rule.PatternCase switch
        {
            HttpRule.PatternOneofCase.Get => ("GET", rule.Get),
            HttpRule.PatternOneofCase.Put => ("PUT", rule.Put),
            HttpRule.PatternOneofCase.Post => ("POST", rule.Post),
            HttpRule.PatternOneofCase.Delete => ("DELETE", rule.Delete),
            HttpRule.PatternOneofCase.Patch => ("PATCH", rule.Patch),
            HttpRule.PatternOneofCase.Custom => (rule.Custom.Kind.ToUpperInvariant(), rule.Custom.Path),
            _ => throw new FormatException($"{method.Service.Name}.{method.Name}: the google.api.http rule has no pattern."),
        };
        PathTemplate template;
        try
        {
            template = PathTemplate.Parse(path);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{method.Service.Name}.{method.Name}: {e.Message}", e);
        }

        var input = method.Descriptor.InputType;
        foreach (var fieldPath in template.FieldPaths)
            CheckFieldPath(method, input, fieldPath, "path variable");
        if (rule.Body is { Length: > 0 } body && body != "*")
            CheckFieldPath(method, input, body, "body");
        if (rule.ResponseBody is { Length: > 0 } responseBody)
            CheckFieldPath(method, method.Descriptor.OutputType, responseBody, "response_body");
        return new HttpRoute(method, verb, template, rule.Body, rule.ResponseBody);
    }

    private static void CheckFieldPath(EntityMethod method, MessageDescriptor type, string fieldPath, string what)
    {
        if (FieldPath.Find(type, fieldPath, jsonNames: false, out var problem) is null)
            throw new FormatException($"{method.Service.Name}.{method.Name}: the {what} {problem}.");
    }

    /// <summary>The method's google.api.http rule, read from its raw options (run-time descriptors have no extensions).</summary>
    private static HttpRule? ReadRule(MethodDescriptor method)
    {
        var options = method.ToProto().Options;
        if (options is null)
            return null;
        var input = new CodedInputStream(options.ToByteArray());
        HttpRule? rule = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == HttpOptionNumber && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                // Repeated occurrences of a message option merge, as protobuf parsing does.
                rule ??= new HttpRule();
                rule.MergeFrom(input.ReadBytes());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return rule;
    }
}
