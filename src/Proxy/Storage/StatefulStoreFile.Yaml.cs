using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cloudstate.Es.Proxy.Storage;

public static partial class StatefulStoreFile
{
    private static FileSection ReadDocument(string file)
    {
        if (Directory.Exists(file))
        {
            throw Fail(file, "is a directory, not a StatefulStore file.");
        }

        var stream = new YamlStream();
        Scanner? scanner = null;
        try
        {
            using var reader = File.OpenText(file);
            scanner = new Scanner(reader, skipComments: true);
            stream.Load(new Parser(scanner));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Fail(file, "no such file.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Fail(file, $"cannot be read: {OneLine(e.Message)}");
        }
        catch (YamlException e)
        {
            throw Fail(file, $"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {Reason(e)}");
        }
        catch (InvalidOperationException) when (scanner is not null)
        {
            // YamlDotNet's scanner fails this way on some truncated input (an unclosed flow collection at the end).
            throw Fail(file, $"not valid YAML at line {scanner.CurrentPosition.Line}, column {scanner.CurrentPosition.Column}: unexpected end of the input.");
        }

        if (stream.Documents.Count != 1)
        {
            throw Fail(file, stream.Documents.Count == 0
                ? "the file is empty; expected a StatefulStore resource."
                : $"holds {stream.Documents.Count} YAML documents; expected one StatefulStore resource.");
        }

        return stream.Documents[0].RootNode switch
        {
            YamlMappingNode root => new FileSection(file, "", root, root.Start),
            var other when IsNull(other) => throw Fail(file, "the file is empty; expected a StatefulStore resource."),
            var other => throw Fail(file, $"expected a StatefulStore resource (apiVersion, kind, metadata, spec), found {Describe(other)} (line {other.Start.Line})."),
        };
    }

    private static ArgumentException Fail(string file, string message) => new($"--store: {file}: {message}");

    // YamlDotNet prefixes its messages with "(Line: 1, Col: 2, Idx: 3) - (Line: ...): "; the line is reported separately.
    private static string Reason(YamlException e)
    {
        var message = e.Message;
        var end = message.StartsWith("(Line: ", StringComparison.Ordinal) ? message.IndexOf("): ", StringComparison.Ordinal) : -1;
        return OneLine(end < 0 ? message : message[(end + 3)..]).TrimEnd('.') + ".";
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "something else",
    };

    /// <summary>One mapping of the file, known by its dotted path; a null value reads as an empty mapping.</summary>
    private sealed class FileSection(string file, string path, YamlMappingNode? mapping, Mark start)
    {
        public List<string> Keys() => mapping is null ? [] : [.. mapping.Children.Keys.OfType<YamlScalarNode>().Select(key => key.Value ?? "")];

        public void AllowOnly(params string[] known)
        {
            foreach (var key in mapping?.Children.Keys ?? [])
            {
                if (key is not YamlScalarNode { Value: { } name })
                {
                    throw Error(null, $"field names must be plain words, found {Describe(key)}", key.Start);
                }

                if (!known.Contains(name, StringComparer.Ordinal))
                {
                    var expected = known.Length == 0 ? "this section takes no fields" : $"known: {string.Join(", ", known)}";
                    throw Error(name, $"unknown field ({expected})", key.Start);
                }
            }
        }

        /// <summary>The value of <paramref name="key"/>, or null when it is absent or null.</summary>
        public string? Optional(string key)
        {
            var node = Value(key);
            return node switch
            {
                null => null,
                _ when IsNull(node) => null,
                YamlScalarNode { Value: { } value } when !string.IsNullOrWhiteSpace(value) => value,
                YamlScalarNode => throw Error(key, "is empty"),
                _ => throw Error(key, $"expected a value, found {Describe(node)}"),
            };
        }

        public string Required(string key) => Optional(key) ?? throw Error(key, "missing (required)");

        public FileSection Section(string key)
        {
            var node = Value(key) ?? throw Error(key, "missing (required)");
            return node switch
            {
                YamlMappingNode child => new FileSection(file, Path(key), child, child.Start),
                _ when IsNull(node) => new FileSection(file, Path(key), null, node.Start),
                _ => throw Error(key, $"expected a mapping, found {Describe(node)}"),
            };
        }

        /// <summary>An error naming <paramref name="key"/> (or this section when null), at its line in the file.</summary>
        public ArgumentException Error(string? key, string message, Mark? at = null)
        {
            var mark = at ?? (key is null ? null : Value(key)?.Start) ?? start;
            var field = key is null ? path : Path(key);
            return Fail(file, $"{field}: {message} (line {mark.Line}).");
        }

        private YamlNode? Value(string key) =>
            mapping?.Children.FirstOrDefault(pair => pair.Key is YamlScalarNode { Value: { } name } && name == key).Value;

        private string Path(string key) => path.Length == 0 ? key : $"{path}.{key}";
    }
}
