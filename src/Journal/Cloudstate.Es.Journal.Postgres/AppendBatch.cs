using Cloudstate.Es.Journal.Batching;
using Npgsql;
using NpgsqlTypes;

namespace Cloudstate.Es.Journal.Postgres;

/// <summary>
/// A batch of appends as the append function's arguments, built once per batch so that a batch sent again after a
/// lost connection carries the same event ids: the id of an append's first event is how its outcome is looked up.
/// </summary>
internal sealed class AppendBatch
{
    private readonly string[] streams;
    private readonly int[] appendStream;
    private readonly long[] appendExpected;
    private readonly int[] appendCount;
    private readonly Guid[] eventIds;
    private readonly byte[][] eventData;

    public AppendBatch(IReadOnlyList<PendingAppend> appends)
    {
        Appends = appends;
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        var streamList = new List<string>();
        appendStream = new int[appends.Count];
        appendExpected = new long[appends.Count];
        appendCount = new int[appends.Count];
        FirstEventIds = new Guid[appends.Count];
        var ids = new List<Guid>();
        var data = new List<byte[]>();
        for (var i = 0; i < appends.Count; i++)
        {
            var append = appends[i];
            if (!slots.TryGetValue(append.Stream.Value, out var slot))
            {
                streamList.Add(append.Stream.Value);
                slots.Add(append.Stream.Value, slot = streamList.Count);
            }

            appendStream[i] = slot;
            appendExpected[i] = append.Expected.Value;
            appendCount[i] = append.Events.Count;
            foreach (var @event in append.Events)
            {
                var id = Guid.CreateVersion7();
                if (FirstEventIds[i] == Guid.Empty)
                    FirstEventIds[i] = id;
                ids.Add(id);
                data.Add(AnyPayload.Encode(@event.TypeUrl, @event.Data.Span));
            }
        }

        streams = streamList.ToArray();
        eventIds = ids.ToArray();
        eventData = data.ToArray();
    }

    public IReadOnlyList<PendingAppend> Appends { get; }

    /// <summary>The streams of the batch, once each.</summary>
    public IReadOnlyList<string> Streams => streams;

    /// <summary>Per append, the id the journal gave its first event; empty for an append without events.</summary>
    public Guid[] FirstEventIds { get; }

    /// <summary>The function's arguments: the batch's streams once each, then per append and per event, in batch order.</summary>
    public void AddArguments(NpgsqlParameterCollection parameters)
    {
        Add(parameters, NpgsqlDbType.Array | NpgsqlDbType.Varchar, streams);
        Add(parameters, NpgsqlDbType.Array | NpgsqlDbType.Integer, appendStream);
        Add(parameters, NpgsqlDbType.Array | NpgsqlDbType.Bigint, appendExpected);
        Add(parameters, NpgsqlDbType.Array | NpgsqlDbType.Integer, appendCount);
        Add(parameters, NpgsqlDbType.Array | NpgsqlDbType.Uuid, eventIds);
        Add(parameters, NpgsqlDbType.Array | NpgsqlDbType.Bytea, eventData);
        Add(parameters, NpgsqlDbType.Varchar, JournalEvent.MartenTypeName);
        Add(parameters, NpgsqlDbType.Varchar, JournalEvent.DotNetTypeName);
    }

    public static void Add(NpgsqlParameterCollection parameters, NpgsqlDbType type, object value) =>
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value });
}
