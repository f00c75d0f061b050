using System.Text;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>A read-only map from UTF-8 names to values, looked up by span so that JSON names need no string.</summary>
internal sealed class Utf8NameTable<T>
    where T : class
{
    private readonly Entry[] slots;
    private readonly int mask;

    /// <summary>Builds the table; a later pair with the same name replaces an earlier one.</summary>
    public Utf8NameTable(IEnumerable<KeyValuePair<string, T>> pairs)
    {
        var unique = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            unique[name] = value;
        }

        var size = 4;
        while (size < unique.Count * 2)
        {
            size <<= 1;
        }

        slots = new Entry[size];
        mask = size - 1;
        foreach (var (name, value) in unique)
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            var slot = Hash(bytes) & mask;
            while (slots[slot].Name is not null)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = new Entry(bytes, name, value);
        }
    }

    public bool TryGet(ReadOnlySpan<byte> utf8Name, out T value, out string name)
    {
        var slot = Hash(utf8Name) & mask;
        while (slots[slot].Name is { } candidate)
        {
            if (utf8Name.SequenceEqual(candidate))
            {
                value = slots[slot].Value;
                name = slots[slot].Text;
                return true;
            }

            slot = (slot + 1) & mask;
        }

        value = null!;
        name = "";
        return false;
    }

    public bool TryGet(string name, out T value, out string matched)
    {
        var max = Encoding.UTF8.GetMaxByteCount(name.Length);
        var buffer = max <= 256 ? stackalloc byte[256] : new byte[max];
        var length = Encoding.UTF8.GetBytes(name, buffer);
        return TryGet(buffer[..length], out value, out matched);
    }

    // FNV-1a: names are short, and a table is built once per type.
    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash ^ (hash >> 15));
    }

    private readonly record struct Entry(byte[]? Name, string Text, T Value);
}
