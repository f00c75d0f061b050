using System.Text;
using Cloudstate.Es.Protocol;
using Cloudstate.Es.Proxy.Http.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Tests.Json;

/// <summary>
/// The codec under test, built from run-time descriptors as the proxy builds them (no CLR types, no parsers), and
/// the oracle: Google.Protobuf's JsonFormatter and JsonParser on the generated types, with a type registry for Any.
/// </summary>
internal static class JsonOracle
{
    private static readonly Dictionary<string, MessageDescriptor> RuntimeTypes = BuildRuntimeTypes();

    public static TypeRegistry Registry { get; } = TypeRegistry.FromFiles(JsonTestReflection.Descriptor);

    /// <summary>JsonFormatter.Default's settings, plus the registry that Any needs.</summary>
    public static JsonFormatter Formatter { get; } = new(JsonFormatter.Settings.Default.WithTypeRegistry(Registry));

    /// <summary>JsonParser.Default's settings, plus the registry that Any needs.</summary>
    public static JsonParser Parser { get; } = new(JsonParser.Settings.Default.WithTypeRegistry(Registry));

    public static JsonCodec Codec { get; } = new(RuntimeTypes.Values.Where(t => t.File.Name.EndsWith("json_test.proto", StringComparison.Ordinal)));

    /// <summary>A generated descriptor by full name, or by simple name for the test types.</summary>
    public static MessageDescriptor Generated(string name) =>
        Registry.Find(name.Contains('.', StringComparison.Ordinal) ? name : "cloudstate.es.tests.json." + name);

    /// <summary>The run-time descriptor with the full name of a generated one.</summary>
    public static MessageDescriptor Runtime(MessageDescriptor generated) => RuntimeTypes[generated.FullName];

    public static string CodecJson(IMessage message) => Codec.ToJson(Runtime(message.Descriptor), message.ToByteArray());

    public static byte[] CodecWire(MessageDescriptor generated, string json) => Codec.ToWire(Runtime(generated), Encoding.UTF8.GetBytes(json));

    public static byte[] OracleWire(MessageDescriptor generated, string json) => Parser.Parse(json, generated).ToByteArray();

    /// <summary>The codec writes what the oracle writes for <paramref name="message"/>, and that is <paramref name="expected"/> when given.</summary>
    public static void FormatsLikeOracle(IMessage message, string? expected = null)
    {
        var oracle = Formatter.Format(message);
        if (expected is not null)
        {
            Assert.Equal(expected, oracle);
        }

        Assert.Equal(oracle, CodecJson(message));
    }

    /// <summary>The codec shows hand-made wire bytes as the oracle shows the message it parses from them.</summary>
    public static string FormatsWireLikeOracle(MessageDescriptor generated, byte[] wire)
    {
        var oracle = Formatter.Format(generated.Parser.ParseFrom(wire));
        Assert.Equal(oracle, Codec.ToJson(Runtime(generated), wire));
        return oracle;
    }

    /// <summary>The codec turns <paramref name="json"/> into the bytes of the message the oracle parses from it.</summary>
    public static void ParsesLikeOracle(MessageDescriptor generated, string json) =>
        Assert.Equal(Convert.ToHexString(OracleWire(generated, json)), Convert.ToHexString(CodecWire(generated, json)));

    /// <summary>Both the oracle and the codec refuse <paramref name="json"/>; the codec's error is returned.</summary>
    public static JsonCodecException Rejects(MessageDescriptor generated, string json)
    {
        Assert.ThrowsAny<Exception>(() => Parser.Parse(json, generated));
        return Assert.Throws<JsonCodecException>(() => CodecWire(generated, json));
    }

    /// <summary>Both the oracle (parsing or formatting) and the codec refuse the wire bytes; the codec's error is returned.</summary>
    public static JsonCodecException RejectsWire(MessageDescriptor generated, byte[] wire)
    {
        Assert.ThrowsAny<Exception>(() => Formatter.Format(generated.Parser.ParseFrom(wire)));
        return Assert.Throws<JsonCodecException>(() => Codec.ToJson(Runtime(generated), wire));
    }

    /// <summary>Builds json_test.proto and the well-known files it imports from their serialized descriptors, imports first.</summary>
    private static Dictionary<string, MessageDescriptor> BuildRuntimeTypes()
    {
        var files = FileDescriptor.BuildFromByteStrings(FileDescriptorSets.InImportOrder([JsonTestReflection.Descriptor]).Select(f => f.SerializedData));
        var types = new Dictionary<string, MessageDescriptor>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var type in file.MessageTypes)
            {
                Add(type);
            }
        }

        return types;

        void Add(MessageDescriptor type)
        {
            types[type.FullName] = type;
            foreach (var nested in type.NestedTypes)
            {
                Add(nested);
            }
        }
    }
}
