using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Google.Protobuf;

namespace Cloudstate.Es.Tck.Interception;

/// <summary>Which way a recorded message went.</summary>
public enum Direction
{
    /// <summary>From the proxy to the user function.</summary>
    ToUserFunction,

    /// <summary>From the user function to the proxy.</summary>
    ToProxy,
}

/// <summary>One entity stream between proxy and user function, message by message, as the interceptor saw it.</summary>
public sealed class EntityStreamRecord
{
    private readonly List<(Direction Direction, IMessage Message)> messages = [];

    /// <summary>The entity's service and id, from the stream's init; empty until it came.</summary>
    public string ServiceName { get; private set; } = "";

    public string EntityId { get; private set; } = "";

    /// <summary>True once both directions have ended.</summary>
    public bool Closed { get; private set; }

    public IReadOnlyList<(Direction Direction, IMessage Message)> Messages
    {
        get
        {
            lock (messages)
            {
                return messages.ToArray();
            }
        }
    }

    /// <summary>The commands the proxy sent on this stream, in order.</summary>
    internal IReadOnlyList<Command> Commands => Messages.Select(m => m.Message).OfType<EventSourcedStreamIn>()
        .Where(m => m.MessageCase == EventSourcedStreamIn.MessageOneofCase.Command).Select(m => m.Command).ToArray();

    /// <summary>What the user function answered on this stream, in order.</summary>
    internal IReadOnlyList<EventSourcedStreamOut> Replies => Messages.Select(m => m.Message).OfType<EventSourcedStreamOut>().ToArray();

    internal void Add(Direction direction, IMessage message)
    {
        if (message is EventSourcedStreamIn { MessageCase: EventSourcedStreamIn.MessageOneofCase.Init } init)
        {
            ServiceName = init.Init.ServiceName;
            EntityId = init.Init.EntityId;
        }

        lock (messages)
        {
            messages.Add((direction, message));
        }
    }

    internal void Close() => Closed = true;

    public override string ToString() =>
        $"{ServiceName}/{EntityId}{(Closed ? " (closed)" : "")}: " + string.Join(", ", Messages.Select(m => $"{(m.Direction == Direction.ToUserFunction ? "->" : "<-")} {m.Message}"));
}

/// <summary>Everything the interceptor saw between one proxy and one user function.</summary>
public sealed class TrafficLog
{
    private readonly List<EntityStreamRecord> streams = [];
    private readonly List<IMessage> discovery = [];
    private readonly HashSet<(string Service, string EntityId)> restarts = [];

    /// <summary>Discovery calls and answers (ProxyInfo, EntitySpec, UserFunctionError) in order.</summary>
    public IReadOnlyList<IMessage> Discovery
    {
        get
        {
            lock (discovery)
            {
                return discovery.ToArray();
            }
        }
    }

    public IReadOnlyList<EntityStreamRecord> Streams
    {
        get
        {
            lock (streams)
            {
                return streams.ToArray();
            }
        }
    }

    /// <summary>The stream of <paramref name="serviceName"/>'s entity <paramref name="entityId"/>, waiting for it up to <paramref name="timeout"/>.</summary>
    public Task<EntityStreamRecord> StreamAsync(string serviceName, string entityId, TimeSpan timeout) =>
        UntilAsync(() => Streams.LastOrDefault(s => s.ServiceName == serviceName && s.EntityId == entityId), timeout, $"an entity stream for {serviceName}/{entityId}");

    /// <summary>Polls <paramref name="probe"/> until it gives a value or the time is up; the failure names <paramref name="what"/>.</summary>
    public async Task<T> UntilAsync<T>(Func<T?> probe, TimeSpan timeout, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (probe() is { } found)
                return found;
            if (DateTime.UtcNow > deadline)
                throw new Kit.TckFailure($"no {what} within {timeout.TotalSeconds:0.#} s; streams seen: {string.Join("; ", Streams.Select(s => $"{s.ServiceName}/{s.EntityId}"))}");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Makes the interceptor turn the user function's next reply for this entity into a failure asking the proxy to
    /// restart the entity (Failure.restart), as a support library does when it cannot go on from its state.
    /// </summary>
    public void RestartOnNextReply(string serviceName, string entityId)
    {
        lock (restarts)
        {
            restarts.Add((serviceName, entityId));
        }
    }

    /// <summary>The reply to pass on: <paramref name="reply"/> itself, or the restart failure armed for its entity.</summary>
    internal EventSourcedStreamOut Rewrite(EntityStreamRecord stream, EventSourcedStreamOut reply)
    {
        if (reply.MessageCase != EventSourcedStreamOut.MessageOneofCase.Reply)
            return reply;
        lock (restarts)
        {
            if (!restarts.Remove((stream.ServiceName, stream.EntityId)))
                return reply;
        }

        var failure = new Failure { CommandId = reply.Reply.CommandId, Description = "restart requested by the TCK", Restart = true };
        return new EventSourcedStreamOut { Reply = new EventSourcedReply { CommandId = reply.Reply.CommandId, ClientAction = new ClientAction { Failure = failure } } };
    }

    internal EntityStreamRecord Open()
    {
        var stream = new EntityStreamRecord();
        lock (streams)
        {
            streams.Add(stream);
        }

        return stream;
    }

    internal void AddDiscovery(IMessage message)
    {
        lock (discovery)
        {
            discovery.Add(message);
        }
    }
}
