using System.Buffers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Cloudstate.Es.Proxy.Tests.Json;

/// <summary>Random messages through the codec and through Google.Protobuf's JsonFormatter and JsonParser agree byte for byte.</summary>
public sealed class JsonCodecOracleTests
{
    private const int MessagesPerSeed = 60;

    // Mostly the message that holds every field kind, the rest spread over the other types, well-known ones at the top too.
    private static readonly MessageDescriptor[] Types =
    [
        Everything.Descriptor, Everything.Descriptor, Everything.Descriptor, Everything.Descriptor, Everything.Descriptor,
        Everything.Descriptor, Scalars.Descriptor, Repeated.Descriptor, Optionals.Descriptor, Oneofs.Descriptor,
        Maps.Descriptor, WellKnown.Descriptor, Cart.Descriptor, Timestamp.Descriptor, Duration.Descriptor,
        Struct.Descriptor, Value.Descriptor, Any.Descriptor, Int64Value.Descriptor, FieldMask.Descriptor,
    ];

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1234, 20)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_messages_format_and_parse_as_the_oracle_does(int seed)
    {
        var messages = new RandomMessages(seed);
        var random = new Random(seed);
        for (var i = 0; i < MessagesPerSeed; i++)
        {
            var message = messages.Next(Types[random.Next(Types.Length)]);
            var context = $"seed {seed}, message {i} ({message.Descriptor.Name})";
            var runtime = JsonOracle.Runtime(message.Descriptor);

            var expectedJson = JsonOracle.Formatter.Format(message);
            Same(expectedJson, JsonOracle.Codec.ToJson(runtime, message.ToByteArray()), context + ", wire to JSON");
            Same(expectedJson, ThroughUtf8JsonWriter(runtime, message.ToByteArray()), context + ", wire to Utf8JsonWriter");

            var expectedWire = JsonOracle.OracleWire(message.Descriptor, expectedJson);
            Same(expectedWire, JsonOracle.Codec.ToWire(runtime, Encoding.UTF8.GetBytes(expectedJson)), context + ", JSON text to wire, from " + expectedJson);
            using var document = JsonDocument.Parse(expectedJson);
            Same(expectedWire, JsonOracle.Codec.ToWire(runtime, document.RootElement), context + ", JsonElement to wire, from " + expectedJson);
        }
    }

    [Fact]
    public void The_random_messages_reach_every_field_of_the_test_types()
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);
        foreach (var seed in Seeds())
        {
            var messages = new RandomMessages(seed);
            var random = new Random(seed);
            for (var i = 0; i < MessagesPerSeed; i++)
            {
                Visit(messages.Next(Types[random.Next(Types.Length)]));
            }
        }

        var all = JsonTestReflection.Descriptor.MessageTypes.SelectMany(t => t.Fields.InFieldNumberOrder()).Select(f => f.FullName);
        Assert.Equal([], all.Where(f => !reached.Contains(f)));

        void Visit(IMessage message)
        {
            foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
            {
                var value = field.Accessor.GetValue(message);
                var set = field.IsRepeated ? ((System.Collections.ICollection)value).Count > 0 : field.HasPresence ? field.Accessor.HasValue(message) : !Equals(value, field.Accessor.GetValue((IMessage)Activator.CreateInstance(message.Descriptor.ClrType)!));
                if (set)
                {
                    reached.Add(field.FullName);
                }

                if (value is IMessage nested)
                {
                    Visit(nested);
                }
                else if (field.IsMap)
                {
                    foreach (var entry in ((System.Collections.IDictionary)value).Values.OfType<IMessage>())
                    {
                        Visit(entry);
                    }
                }
                else if (field.IsRepeated)
                {
                    foreach (var element in ((System.Collections.IList)value).OfType<IMessage>())
                    {
                        Visit(element);
                    }
                }
            }
        }
    }

    private static string ThroughUtf8JsonWriter(MessageDescriptor runtime, byte[] wire)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonOracle.Codec.WriteJson(writer, runtime, wire);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Same(string expected, string actual, string context)
    {
        if (expected != actual)
        {
            Assert.Fail($"{context}\n  oracle: {expected}\n  codec:  {actual}");
        }
    }

    private static void Same(byte[] expected, byte[] actual, string context)
    {
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Fail($"{context}\n  oracle: {Convert.ToHexString(expected)}\n  codec:  {Convert.ToHexString(actual)}");
        }
    }
}
