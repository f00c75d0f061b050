using Cloudstate.Es.Proxy.Frontend;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Tests;

public sealed class EntityKeyReaderTests
{
    // message Keyed { string tenant = 1 [entity_key]; int64 number = 2 [entity_key (legacy 50002)]; string note = 3; }
    private static readonly MessageDescriptor Keyed = Build();

    private static MessageDescriptor Build()
    {
        static FieldDescriptorProto Field(string name, int number, FieldDescriptorProto.Types.Type type, int? keyOption)
        {
            var field = new FieldDescriptorProto { Name = name, Number = number, Type = type, Label = FieldDescriptorProto.Types.Label.Optional };
            if (keyOption is { } option)
            {
                // The option as the wire carries it: field `option`, varint 1. Run-time descriptors keep it as an unknown field.
                byte[] bytes = [.. Varint((ulong)option << 3), 1];
                field.Options = FieldOptions.Parser.ParseFrom(bytes);
            }

            return field;
        }

        var file = new FileDescriptorProto
        {
            Name = "keyed.proto",
            Package = "test",
            Syntax = "proto3",
            MessageType =
            {
                new DescriptorProto
                {
                    Name = "Keyed",
                    Field =
                    {
                        Field("tenant", 1, FieldDescriptorProto.Types.Type.String, 1080),
                        Field("number", 2, FieldDescriptorProto.Types.Type.Int64, 50002),
                        Field("note", 3, FieldDescriptorProto.Types.Type.String, null),
                    },
                },
            },
        };
        return FileDescriptor.BuildFromByteStrings([file.ToByteString()])[0].MessageTypes[0];
    }

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    private static byte[] Message(string? tenant, long? number, string note = "n")
    {
        var bytes = new List<byte>();
        if (number is { } n)
        {
            bytes.AddRange([0x10, .. Varint((ulong)n)]);
        }

        bytes.AddRange([0x1A, (byte)note.Length, .. System.Text.Encoding.UTF8.GetBytes(note)]);
        if (tenant is not null)
        {
            var utf8 = System.Text.Encoding.UTF8.GetBytes(tenant);
            bytes.AddRange([0x0A, (byte)utf8.Length, .. utf8]);
        }

        return [.. bytes];
    }

    [Fact]
    public void Fields_marked_with_either_the_0_2_or_the_legacy_option_number_are_entity_keys()
    {
        var reader = EntityKeyReader.For(Keyed)!;

        Assert.Equal(["tenant", "number"], reader.Fields.Select(f => f.Name));
    }

    [Fact]
    public void Several_key_fields_are_joined_with_a_dash_in_field_number_order_whatever_the_wire_order()
    {
        var error = EntityKeyReader.For(Keyed)!.TryRead(Message("acme", 42), out var key);

        Assert.Null(error);
        Assert.Equal("acme-42", key);
    }

    [Fact]
    public void Negative_and_unicode_key_values_are_read_exactly()
    {
        EntityKeyReader.For(Keyed)!.TryRead(Message("Zürich|東京", -7), out var key);

        Assert.Equal("Zürich|東京--7", key);
    }

    [Theory]
    [InlineData(null, 1L, "tenant")]
    [InlineData("", 1L, "tenant")]
    [InlineData("acme", null, "number")]
    public void A_missing_or_empty_key_field_is_an_error_naming_it(string? tenant, long? number, string field)
    {
        var error = EntityKeyReader.For(Keyed)!.TryRead(Message(tenant, number), out _);

        Assert.Contains($"'{field}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_key_whose_bytes_are_not_UTF_8_is_rejected_rather_than_read_with_replacement_characters()
    {
        byte[] bytes = [0x10, 0x01, 0x0A, 0x02, (byte)'a', 0xFF];

        var error = Assert.Throws<MalformedMessageException>(() => EntityKeyReader.For(Keyed)!.TryRead(bytes, out _));

        Assert.Contains("'tenant'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_message_is_rejected()
    {
        var bytes = Message("acme", 1);

        Assert.Throws<MalformedMessageException>(() => EntityKeyReader.For(Keyed)!.TryRead(bytes.AsSpan(0, bytes.Length - 2), out _));
    }
}
