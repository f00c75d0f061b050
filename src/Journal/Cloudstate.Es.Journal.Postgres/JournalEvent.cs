using JasperFx.Events;

namespace Cloudstate.Es.Journal.Postgres;

/// <summary>
/// How Marten sees a journal event: the protobuf <c>Any</c> the user function emitted. Lets Marten code (projections,
/// queries, tools) read the streams the proxy writes; the proxy itself reads and writes the rows directly.
/// </summary>
public sealed record JournalEvent(string TypeUrl, byte[] Data)
{
    /// <summary>The name Marten records in <c>mt_events.type</c>.</summary>
    public const string MartenTypeName = "cloudstate_event";

    /// <summary>What Marten records in <c>mt_events.mt_dotnet_type</c>.</summary>
    internal static readonly string DotNetTypeName = $"{typeof(JournalEvent).FullName}, {typeof(JournalEvent).Assembly.GetName().Name}";
}

/// <summary>Marten's binary serializer for <see cref="JournalEvent"/>: the event is stored as a protobuf <c>Any</c> in <c>bdata</c>.</summary>
internal sealed class JournalEventSerializer : IEventBinarySerializer
{
    public byte[] Serialize(Type type, object data)
    {
        var journalEvent = (JournalEvent)data;
        return AnyPayload.Encode(journalEvent.TypeUrl, journalEvent.Data);
    }

    public object Deserialize(Type type, byte[] data)
    {
        var (typeUrl, payload) = AnyPayload.Decode(data);
        return new JournalEvent(typeUrl, payload.ToArray());
    }
}
