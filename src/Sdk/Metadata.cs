using System.Collections;
using Google.Protobuf;

namespace Cloudstate.Es.Sdk;

/// <summary>Transport metadata (headers) that comes with a command or goes with a reply, forward or side effect.</summary>
public sealed class Metadata : IEnumerable<MetadataEntry>
{
    private readonly List<MetadataEntry> entries = [];

    /// <summary>Metadata with no entries.</summary>
    public Metadata()
    {
    }

    internal Metadata(IEnumerable<MetadataEntry> entries) => this.entries.AddRange(entries);

    public int Count => entries.Count;

    /// <summary>Adds a text entry; a key may appear more than once.</summary>
    public Metadata Add(string key, string value)
    {
        entries.Add(new MetadataEntry(key, value, null));
        return this;
    }

    /// <summary>Adds a binary entry.</summary>
    public Metadata Add(string key, ReadOnlyMemory<byte> value)
    {
        entries.Add(new MetadataEntry(key, null, value));
        return this;
    }

    /// <summary>The first text value under <paramref name="key"/> (case-insensitive), or null.</summary>
    public string? Get(string key) =>
        entries.FirstOrDefault(e => e.Text is not null && string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)).Text;

    /// <summary>The first binary value under <paramref name="key"/> (case-insensitive; gRPC's -bin headers), or null.</summary>
    public ReadOnlyMemory<byte>? GetBytes(string key) =>
        entries.Where(e => e.Text is null && string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)).Select(e => (ReadOnlyMemory<byte>?)e.Binary).FirstOrDefault();

    public IEnumerator<MetadataEntry> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static Metadata FromWire(Protocol.Metadata? wire) =>
        wire is null ? new Metadata() : new Metadata(wire.Entries.Select(e => e.ValueCase == Protocol.MetadataEntry.ValueOneofCase.BytesValue
            ? new MetadataEntry(e.Key, null, e.BytesValue.Memory)
            : new MetadataEntry(e.Key, e.StringValue, null)));

    internal Protocol.Metadata? ToWire()
    {
        if (entries.Count == 0)
        {
            return null;
        }

        var wire = new Protocol.Metadata();
        foreach (var entry in entries)
        {
            var wireEntry = new Protocol.MetadataEntry { Key = entry.Key };
            if (entry.Text is not null)
            {
                wireEntry.StringValue = entry.Text;
            }
            else
            {
                wireEntry.BytesValue = ByteString.CopyFrom(entry.Binary.Span);
            }

            wire.Entries.Add(wireEntry);
        }

        return wire;
    }
}

/// <summary>One metadata entry: a key with either a text or a binary value.</summary>
public readonly record struct MetadataEntry(string Key, string? Text, ReadOnlyMemory<byte> Binary);
