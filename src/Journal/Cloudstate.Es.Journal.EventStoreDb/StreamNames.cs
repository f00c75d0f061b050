using EventStore.Client;
using Google.Protobuf;

namespace Cloudstate.Es.Journal.EventStoreDb;

/// <summary>
/// The EventStoreDB stream names of an entity instance's events and of its snapshots. The event stream is the instance's
/// stream id as the other backends write it (<c>shopping-cart|user-1</c>), after <see cref="EventStoreDbOptions.StreamPrefix"/>;
/// what EventStoreDB reserves is escaped: a leading <c>$</c> (system and metadata streams) becomes <c>%24</c>, and so
/// that escaping stays reversible every <c>%</c> becomes <c>%25</c>. An escaped name thus never has a <c>%</c> followed
/// by anything but <c>2</c>, which leaves the snapshot streams, <c>%snapshot:</c> and the event stream's name, and the
/// members stream, <c>%members:</c> and the prefix, apart.
/// </summary>
internal sealed class StreamNames(string prefix)
{
    private const string SnapshotPrefix = "%snapshot:";

    public string Events(StreamId stream) => Escape(prefix + stream.Value);

    public string Snapshots(StreamId stream) => SnapshotPrefix + Escape(prefix + stream.Value);

    /// <summary>The cluster's members stream of this prefix.</summary>
    public string Members => "%members:" + Escape(prefix);

    /// <summary>The name as the wire carries it.</summary>
    public static StreamIdentifier Identifier(string name) => new() { StreamName = ByteString.CopyFromUtf8(name) };

    private static string Escape(string name)
    {
        var escaped = name.Replace("%", "%25", StringComparison.Ordinal);
        return escaped.StartsWith('$') ? "%24" + escaped[1..] : escaped;
    }
}
