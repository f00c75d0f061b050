using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>The well-known types whose JSON form differs from an ordinary message's, recognised by full name.</summary>
internal enum WellKnownType
{
    None,
    Any,
    Timestamp,
    Duration,
    FieldMask,
    Struct,
    Value,
    ListValue,
    DoubleValue,
    FloatValue,
    Int64Value,
    UInt64Value,
    Int32Value,
    UInt32Value,
    BoolValue,
    StringValue,
    BytesValue,
}

internal static class WellKnownTypes
{
    // The files whose messages an Any shows under a "value" property, as Google.Protobuf's IsWellKnownType decides.
    private static readonly HashSet<string> Files = new(StringComparer.Ordinal)
    {
        "google/protobuf/any.proto", "google/protobuf/api.proto", "google/protobuf/duration.proto",
        "google/protobuf/empty.proto", "google/protobuf/wrappers.proto", "google/protobuf/timestamp.proto",
        "google/protobuf/field_mask.proto", "google/protobuf/source_context.proto", "google/protobuf/struct.proto",
        "google/protobuf/type.proto",
    };

    private static readonly Dictionary<string, WellKnownType> ByName = new(StringComparer.Ordinal)
    {
        ["google.protobuf.Any"] = WellKnownType.Any,
        ["google.protobuf.Timestamp"] = WellKnownType.Timestamp,
        ["google.protobuf.Duration"] = WellKnownType.Duration,
        ["google.protobuf.FieldMask"] = WellKnownType.FieldMask,
        ["google.protobuf.Struct"] = WellKnownType.Struct,
        ["google.protobuf.Value"] = WellKnownType.Value,
        ["google.protobuf.ListValue"] = WellKnownType.ListValue,
        ["google.protobuf.DoubleValue"] = WellKnownType.DoubleValue,
        ["google.protobuf.FloatValue"] = WellKnownType.FloatValue,
        ["google.protobuf.Int64Value"] = WellKnownType.Int64Value,
        ["google.protobuf.UInt64Value"] = WellKnownType.UInt64Value,
        ["google.protobuf.Int32Value"] = WellKnownType.Int32Value,
        ["google.protobuf.UInt32Value"] = WellKnownType.UInt32Value,
        ["google.protobuf.BoolValue"] = WellKnownType.BoolValue,
        ["google.protobuf.StringValue"] = WellKnownType.StringValue,
        ["google.protobuf.BytesValue"] = WellKnownType.BytesValue,
    };

    public const string NullValueEnum = "google.protobuf.NullValue";

    public static WellKnownType Of(MessageDescriptor descriptor) =>
        ByName.TryGetValue(descriptor.FullName, out var kind) ? kind : WellKnownType.None;

    /// <summary>Whether an Any holding this type carries its JSON under "value" rather than inline.</summary>
    public static bool ShownAsValueInAny(MessageDescriptor descriptor) =>
        Of(descriptor) != WellKnownType.None
        || (descriptor.File.Package == "google.protobuf" && Files.Contains(descriptor.File.Name));

    public static bool IsWrapper(this WellKnownType kind) => kind >= WellKnownType.DoubleValue;
}
