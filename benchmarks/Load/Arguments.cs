using System.Globalization;

namespace Cloudstate.Es.Load;

/// <summary>The "--name value" options of one verb.</summary>
internal sealed class Arguments(string[] args)
{
    public string? Find(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    public string Text(string name, string fallback) => Find(name) ?? fallback;

    public int Int(string name, int fallback) => Find(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>Whether the option <paramref name="name"/>, which takes no value, was given.</summary>
    public bool Flag(string name) => args.Contains(name);

    public int? OptionalInt(string name) => Find(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;
}
