using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Sdk.EventSourced;

/// <summary>Handles one command: reads the state and the command, emits events through the context, returns the reply.</summary>
public delegate TReply CommandHandler<TState, in TCommand, out TReply>(TState state, TCommand command, CommandContext<TState> context);

/// <summary>Handles one command asynchronously.</summary>
public delegate ValueTask<TReply> AsyncCommandHandler<TState, in TCommand, TReply>(TState state, TCommand command, CommandContext<TState> context);

/// <summary>Folds one event into the state and returns the new state.</summary>
public delegate TState EventHandler<TState, in TEvent>(TState state, TEvent @event);

/// <summary>The handlers of an event-sourced entity, declared in <see cref="EventSourcedEntity{TState}.Define"/>.</summary>
public sealed class EventSourcedBehavior<TState>
{
    private readonly ServiceDescriptor service;

    internal EventSourcedBehavior(ServiceDescriptor service) => this.service = service;

    internal Dictionary<string, CommandInvoker<TState>> Commands { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, EventApplier<TState>> Events { get; } = new(StringComparer.Ordinal);

    internal SnapshotCodec<TState>? Snapshots { get; private set; }

    /// <summary>Handles the service method <paramref name="name"/>, whose input is <typeparamref name="TCommand"/> and output <typeparamref name="TReply"/>.</summary>
    public EventSourcedBehavior<TState> Command<TCommand, TReply>(string name, CommandHandler<TState, TCommand, TReply> handler)
        where TCommand : IMessage<TCommand>, new()
        where TReply : class, IMessage<TReply>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Command<TCommand, TReply>(name, (state, command, context) => ValueTask.FromResult(handler(state, command, context)));
    }

    /// <summary>Handles the service method <paramref name="name"/> asynchronously.</summary>
    public EventSourcedBehavior<TState> Command<TCommand, TReply>(string name, AsyncCommandHandler<TState, TCommand, TReply> handler)
        where TCommand : IMessage<TCommand>, new()
        where TReply : class, IMessage<TReply>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        var method = service.FindMethodByName(name)
            ?? throw new InvalidOperationException($"Service {service.FullName} has no method '{name}'.");
        CheckType(method.InputType, new TCommand().Descriptor, $"{method.FullName} takes");
        CheckType(method.OutputType, new TReply().Descriptor, $"{method.FullName} returns");
        if (!Commands.TryAdd(name, CommandInvoker<TState>.For(new MessageParser<TCommand>(() => new TCommand()), handler)))
        {
            throw new InvalidOperationException($"{method.FullName} has two command handlers.");
        }

        return this;
    }

    /// <summary>Applies events of type <typeparamref name="TEvent"/>, both when emitted and when replayed from the journal.</summary>
    public EventSourcedBehavior<TState> Event<TEvent>(EventHandler<TState, TEvent> handler)
        where TEvent : IMessage<TEvent>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        var descriptor = new TEvent().Descriptor;
        var parser = new MessageParser<TEvent>(() => new TEvent());
        if (!Events.TryAdd(descriptor.FullName, new EventApplier<TState>(descriptor, (state, bytes) => handler(state, parser.ParseFrom(bytes)), (state, message) => handler(state, (TEvent)message))))
        {
            throw new InvalidOperationException($"Event {descriptor.FullName} has two event handlers.");
        }

        return this;
    }

    /// <summary>Snapshots the state as <typeparamref name="TSnapshot"/> and restores it from one.</summary>
    public EventSourcedBehavior<TState> Snapshot<TSnapshot>(Func<TState, TSnapshot> take, Func<TSnapshot, TState> restore)
        where TSnapshot : IMessage<TSnapshot>, new()
    {
        ArgumentNullException.ThrowIfNull(take);
        ArgumentNullException.ThrowIfNull(restore);
        var parser = new MessageParser<TSnapshot>(() => new TSnapshot());
        Snapshots = new SnapshotCodec<TState>(new TSnapshot().Descriptor, state => take(state), bytes => restore(parser.ParseFrom(bytes)));
        return this;
    }

    private static void CheckType(MessageDescriptor expected, MessageDescriptor actual, string what)
    {
        if (expected.FullName != actual.FullName)
        {
            throw new InvalidOperationException($"{what} {expected.FullName}, but the handler is declared with {actual.FullName}.");
        }
    }
}
