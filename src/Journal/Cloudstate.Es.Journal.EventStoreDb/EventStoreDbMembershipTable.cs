using System.Globalization;
using System.Text.Json;
using Cloudstate.Es.Journal.Membership;
using EventStore.Client.Streams;
using Google.Protobuf;
using ProposedMessage = EventStore.Client.Streams.AppendReq.Types.ProposedMessage;

namespace Cloudstate.Es.Journal.EventStoreDb;

/// <summary>
/// The cluster's members as one EventStoreDB stream, <c>%members:</c> and the stream prefix: each node appends
/// <c>joined</c> once, a <c>beat</c> every heartbeat and <c>left</c> when it goes, each event's JSON naming the member
/// (with its address and kinds, so any recent beat describes it whole). Time is the node's own: the <c>created</c> stamp
/// EventStoreDB puts on each event, so the proxies' clocks never have to agree. A member is live while its latest event is
/// a join or a beat no older than the time to live, measured from the heartbeat's own stamp; a member whose previous beat
/// had already expired is told it is no longer a member, and appends <c>left</c> so the others drop it at once. The
/// stream keeps an hour of events (<c>$maxAge</c>); a heartbeat reads back at most <see cref="ReadBack"/> of them.
/// </summary>
public sealed class EventStoreDbMembershipTable : IMembershipTable
{
    /// <summary>Events a heartbeat reads back: at one beat a second and a time to live of a few seconds, room for a hundred nodes.</summary>
    public const int ReadBack = 1000;

    private static readonly byte[] KeepAnHour = """{"$maxAge":3600}"""u8.ToArray();
    private readonly EventStoreDbNode node;
    private readonly string stream;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, MemberEntry> joined = new();

    private EventStoreDbMembershipTable(EventStoreDbNode node, string stream)
    {
        this.node = node;
        this.stream = stream;
    }

    /// <summary>Opens the members stream of <paramref name="node"/>'s stream prefix, setting its <c>$maxAge</c>. The node stays with its owner.</summary>
    public static async Task<EventStoreDbMembershipTable> OpenAsync(EventStoreDbNode node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        var table = new EventStoreDbMembershipTable(node, node.Names.Members);
        await node.SetStreamMetadataAsync(table.stream, KeepAnHour, cancellationToken).ConfigureAwait(false);
        return table;
    }

    public async ValueTask JoinAsync(MemberEntry self, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(self);
        joined[self.MemberId] = self;
        await AppendAsync(Joined, Record.Of(self), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<MembershipView> HeartbeatAsync(string memberId, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var entry = joined.TryGetValue(memberId, out var known) ? Record.Of(known) : new Record(memberId, null, 0, null);
        var beat = await AppendAsync(Beat, entry, cancellationToken).ConfigureAwait(false);

        // Newest first, back to the first event older than the time to live before the beat: each member's latest event
        // (the beat's stamp is now), the newest that describes it, and this member's event before the beat.
        DateTime? now = null;
        (string Type, DateTime Created)? previous = null;
        var latest = new Dictionary<string, (string Type, DateTime Created, Record? Described)>();
        await foreach (var recorded in node.ReadAsync(stream, null, backwards: true, ReadBack, node.Deadline, cancellationToken).ConfigureAwait(false))
        {
            var created = Created(recorded);
            if (now is { } at && created < at - timeToLive)
                break;
            var type = recorded.Metadata["type"];
            var record = JsonSerializer.Deserialize<Record>(recorded.Data.Span) ?? throw new InvalidDataException($"An event of {stream} is not a member record.");
            if (now is null && Uuids.ToGuid(recorded.Id) == beat)
                now = created;
            else if (now is not null && record.Member == memberId)
                previous ??= (type, created);

            if (latest.TryGetValue(record.Member, out var seen))
            {
                if (seen.Described is null && record.Host is not null)
                    latest[record.Member] = seen with { Described = record };
            }
            else
            {
                latest[record.Member] = (type, created, record.Host is null ? null : record);
            }
        }

        var clock = now ?? throw new InvalidDataException($"The heartbeat just appended to {stream} was not read back among its last {ReadBack} events.");
        var stillMember = previous is { Type: Joined or Beat } last && clock - last.Created <= timeToLive;
        if (!stillMember)
        {
            // Expired already, or left: the others may have dropped it; its beat must not bring it back for them.
            await AppendAsync(Left, new Record(memberId, null, 0, null), cancellationToken).ConfigureAwait(false);
            latest.Remove(memberId);
        }

        var members = latest
            .Where(m => m.Value is { Type: Joined or Beat, Described: not null } && clock - m.Value.Created <= timeToLive)
            .Select(m => new MemberEntry(m.Key, m.Value.Described!.Host!, m.Value.Described.Port, m.Value.Described.Kinds ?? []))
            .OrderBy(m => m.MemberId, StringComparer.Ordinal)
            .ToList();
        return new MembershipView(stillMember, members);
    }

    public async ValueTask LeaveAsync(string memberId, CancellationToken cancellationToken) =>
        await AppendAsync(Left, new Record(memberId, null, 0, null), cancellationToken).ConfigureAwait(false);

    private const string Joined = "joined";
    private const string Beat = "beat";
    private const string Left = "left";

    private async Task<Guid> AppendAsync(string type, Record record, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var message = new ProposedMessage
        {
            Id = Uuids.From(id),
            Metadata = { ["type"] = type, ["content-type"] = "application/json" },
            Data = ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(record)),
        };
        var response = await node.AppendAsync(stream, ulong.MaxValue, [message], cancellationToken).ConfigureAwait(false);
        if (response.ResultCase != AppendResp.ResultOneofCase.Success)
            throw new EventStoreDbAppendRefusedException($"EventStoreDB refused an append to {stream}: {response.ResultCase}.");
        return id;
    }

    // EventStoreDB stamps each event with its own clock: "created", in 100 ns ticks since the Unix epoch.
    private static DateTime Created(ReadResp.Types.ReadEvent.Types.RecordedEvent recorded) =>
        DateTime.UnixEpoch.AddTicks(long.Parse(recorded.Metadata["created"], CultureInfo.InvariantCulture));

    /// <summary>One member event's JSON; a <c>left</c> names the member only.</summary>
    private sealed record Record(string Member, string? Host, int Port, IReadOnlyList<string>? Kinds)
    {
        public static Record Of(MemberEntry entry) => new(entry.MemberId, entry.Host, entry.Port, entry.Kinds);
    }
}
