using Grpc.Core;
using Proto;
using Proto.Mailbox;

namespace Cloudstate.Es.Proxy.Entities;

/// <summary>
/// The user-message queue of one entity instance, bounded in commands: a command that finds <paramref name="limit"/>
/// others waiting is answered RESOURCE_EXHAUSTED at once instead of queueing behind them. Other messages always queue.
/// </summary>
internal sealed class CommandQueue(int limit, Func<ActorSystem> system) : IMailboxQueue
{
    // An entity sees one command at a time from its few clients and there may be very many entities: start small.
    private readonly Queue<object> messages = new(2);
    private int commands;

    public bool HasMessages
    {
        get
        {
            lock (messages)
                return messages.Count > 0;
        }
    }

    public int Length
    {
        get
        {
            lock (messages)
                return messages.Count;
        }
    }

    public void Push(object message)
    {
        var isCommand = message is MessageEnvelope { Message: EntityCommand };
        lock (messages)
        {
            if (!isCommand || commands < limit)
            {
                messages.Enqueue(message);
                commands += isCommand ? 1 : 0;
                return;
            }
        }

        if (message is MessageEnvelope { Sender: { } sender })
            system().Root.Send(sender, EntityOutcome.Failed(StatusCode.ResourceExhausted, $"Too many commands are waiting for this entity (the limit is {limit}); retry later."));
    }

    public object? Pop()
    {
        lock (messages)
        {
            if (!messages.TryDequeue(out var message))
                return null;
            commands -= message is MessageEnvelope { Message: EntityCommand } ? 1 : 0;
            return message;
        }
    }
}
