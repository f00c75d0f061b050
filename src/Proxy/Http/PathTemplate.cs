using System.Text;

namespace Cloudstate.Es.Proxy.Http;

/// <summary>
/// A google.api.http path template: <c>/v1/{name=shelves/*/books/*}:verb</c>, with literal segments, <c>*</c> (one
/// segment), <c>**</c> (the rest), variables bound to field paths, and an optional custom verb.
/// </summary>
internal sealed class PathTemplate
{
    private readonly Segment[] segments;
    private readonly Variable[] variables;

    private PathTemplate(string text, Segment[] segments, Variable[] variables, string? verb)
    {
        Text = text;
        this.segments = segments;
        this.variables = variables;
        Verb = verb;
    }

    public string Text { get; }

    /// <summary>The custom verb after the last segment (<c>:clear</c>), null when there is none.</summary>
    public string? Verb { get; }

    /// <summary>The field paths the template binds, e.g. <c>shelf.name</c>.</summary>
    public IEnumerable<string> FieldPaths => variables.Select(v => v.FieldPath);

    /// <summary>The shape two templates conflict on: literals kept, variables and wildcards reduced to * or **.</summary>
    public string Shape => "/" + string.Join('/', segments.Select(s => s.Literal ?? (s.Kind == SegmentKind.Rest ? "**" : "*"))) + (Verb is null ? "" : ":" + Verb);

    /// <summary>How specific the template is: more literal segments match first.</summary>
    public int LiteralCount => segments.Count(s => s.Literal is not null);

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static PathTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith('/'))
            throw new FormatException($"Path template '{text}' does not start with '/'.");

        var parser = new Parser(text);
        parser.ParseTemplate();
        return new PathTemplate(text, parser.Segments.ToArray(), parser.Variables.ToArray(), parser.Verb);
    }

    /// <summary>Matches a request path (still percent-encoded); on success gives each variable's decoded value.</summary>
    public bool TryMatch(string path, out List<KeyValuePair<string, string>> bindings)
    {
        bindings = [];
        if (path.Length == 0 || path[0] != '/')
            return false;
        var rest = path.AsSpan(1);

        // The custom verb hangs off the last segment: "/v1/carts/alice:clear".
        if (Verb is not null)
        {
            var suffix = ":" + Verb;
            if (!rest.EndsWith(suffix, StringComparison.Ordinal))
                return false;
            rest = rest[..^suffix.Length];
        }

        var parts = rest.Length == 0 ? [] : rest.ToString().Split('/');
        var captured = new string[parts.Length];
        var at = 0;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Kind == SegmentKind.Rest)
            {
                if (at > parts.Length)
                    return false;
                for (; at < parts.Length; at++)
                    captured[at] = Uri.UnescapeDataString(parts[at]);
                continue;
            }

            if (at >= parts.Length || parts[at].Length == 0)
                return false;
            if (segment.Literal is not null && !string.Equals(segment.Literal, parts[at], StringComparison.Ordinal))
                return false;
            captured[at] = Uri.UnescapeDataString(parts[at]);
            at++;
        }

        if (at != parts.Length)
            return false;
        foreach (var variable in variables)
        {
            var start = variable.First;
            var end = variable.Last == int.MaxValue ? parts.Length : variable.Last + 1;
            if (variable.Last == int.MaxValue && variable.First > parts.Length)
                return false;
            bindings.Add(new(variable.FieldPath, string.Join('/', captured[start..end])));
        }

        return true;
    }

    public override string ToString() => Text;

    private enum SegmentKind
    {
        One,
        Rest,
    }

    /// <summary>One path segment: a literal, or a wildcard matching one segment or the rest.</summary>
    private readonly record struct Segment(SegmentKind Kind, string? Literal);

    /// <summary>A variable covering segments First..Last (int.MaxValue: to the end).</summary>
    private readonly record struct Variable(string FieldPath, int First, int Last);

    private ref struct Parser(string text)
    {
        private int at = 1;

        public List<Segment> Segments { get; } = [];

        public List<Variable> Variables { get; } = [];

        public string? Verb { get; private set; }

        public void ParseTemplate()
        {
            ParseSegments(inVariable: false);
            if (at < text.Length && text[at] == ':')
            {
                at++;
                Verb = ReadLiteral();
                if (Verb.Length == 0)
                    throw Error("an empty custom verb");
            }

            if (at != text.Length)
                throw Error($"unexpected '{text[at]}'");
            for (var i = 0; i < Segments.Count - 1; i++)
            {
                if (Segments[i].Kind == SegmentKind.Rest)
                    throw Error("'**' before the last segment");
            }
        }

        private void ParseSegments(bool inVariable)
        {
            while (true)
            {
                ParseSegment(inVariable);
                if (at < text.Length && text[at] == '/')
                {
                    at++;
                    continue;
                }

                return;
            }
        }

        private void ParseSegment(bool inVariable)
        {
            if (at >= text.Length)
                throw Error("a missing segment");
            if (text[at] == '{')
            {
                if (inVariable)
                    throw Error("a variable inside a variable");
                at++;
                var fieldPath = ReadFieldPath();
                var first = Segments.Count;
                if (at < text.Length && text[at] == '=')
                {
                    at++;
                    ParseSegments(inVariable: true);
                }
                else
                {
                    Segments.Add(new Segment(SegmentKind.One, null));
                }

                if (at >= text.Length || text[at] != '}')
                    throw Error($"variable '{fieldPath}' is not closed with '}}'");
                at++;
                if (Variables.Any(v => v.FieldPath == fieldPath))
                    throw Error($"variable '{fieldPath}' bound twice");
                var last = Segments[^1].Kind == SegmentKind.Rest ? int.MaxValue : Segments.Count - 1;
                Variables.Add(new Variable(fieldPath, first, last));
                return;
            }

            if (text[at] == '*')
            {
                var rest = at + 1 < text.Length && text[at + 1] == '*';
                at += rest ? 2 : 1;
                Segments.Add(new Segment(rest ? SegmentKind.Rest : SegmentKind.One, null));
                return;
            }

            var literal = ReadLiteral();
            if (literal.Length == 0)
                throw Error("an empty segment");
            Segments.Add(new Segment(SegmentKind.One, literal));
        }

        private string ReadFieldPath()
        {
            var start = at;
            while (at < text.Length && (char.IsAsciiLetterOrDigit(text[at]) || text[at] is '_' or '.'))
                at++;
            var path = text[start..at];
            if (path.Length == 0 || path.Split('.').Any(p => p.Length == 0 || char.IsAsciiDigit(p[0])))
                throw Error($"'{path}' is not a field path");
            return path;
        }

        private string ReadLiteral()
        {
            var literal = new StringBuilder();
            while (at < text.Length && text[at] is not ('/' or '{' or '}' or '*' or ':' or '='))
                literal.Append(text[at++]);
            return literal.ToString();
        }

        private readonly FormatException Error(string what) => new($"Path template '{text}' has {what} at position {at}.");
    }
}
