using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>An enum's names as JSON shows them, and its values found by name.</summary>
internal sealed class EnumPlan
{
    private readonly Dictionary<int, byte[]> quotedNames = [];

    public EnumPlan(EnumDescriptor descriptor)
    {
        FullName = descriptor.FullName;
        IsNullValue = descriptor.FullName == WellKnownTypes.NullValueEnum;
        foreach (var value in descriptor.Values)
        {
            // The first value declared with a number names it, as FindValueByNumber and the generated enum do.
            if (!quotedNames.ContainsKey(value.Number))
            {
                using var output = new JsonOutput();
                output.String(value.Name);
                quotedNames[value.Number] = output.ToArray();
            }
        }

        ByName = new Utf8NameTable<EnumValueDescriptor>(descriptor.Values.Select(v => KeyValuePair.Create(v.Name, v)));
    }

    public string FullName { get; }

    /// <summary>google.protobuf.NullValue, which JSON shows as null whatever its number.</summary>
    public bool IsNullValue { get; }

    public Utf8NameTable<EnumValueDescriptor> ByName { get; }

    /// <summary>The quoted JSON name of <paramref name="number"/>, or null when no value has that number.</summary>
    public byte[]? QuotedName(int number) => quotedNames.GetValueOrDefault(number);
}
