using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Sdk.EventSourced;

/// <summary>A command handler with its payload parser, erased to the entity's state type.</summary>
internal sealed class CommandInvoker<TState>(Func<TState, ByteString, CommandContext<TState>, ValueTask<IMessage?>> invoke)
{
    public ValueTask<IMessage?> InvokeAsync(TState state, ByteString payload, CommandContext<TState> context) =>
        invoke(state, payload, context);

    public static CommandInvoker<TState> For<TCommand, TReply>(MessageParser<TCommand> parser, AsyncCommandHandler<TState, TCommand, TReply> handler)
        where TCommand : IMessage<TCommand>
        where TReply : class, IMessage<TReply> =>
        new(async (state, payload, context) => await handler(state, parser.ParseFrom(payload), context).ConfigureAwait(false));
}

/// <summary>An event handler that applies either a replayed event (bytes) or an emitted one (a message).</summary>
internal sealed record EventApplier<TState>(
    MessageDescriptor Descriptor,
    Func<TState, ByteString, TState> ApplyBytes,
    Func<TState, IMessage, TState> ApplyMessage);

/// <summary>Takes a snapshot of the state and restores the state from one.</summary>
internal sealed record SnapshotCodec<TState>(
    MessageDescriptor Descriptor,
    Func<TState, IMessage> Take,
    Func<ByteString, TState> Restore);

/// <summary>The entity instance is broken: the stream to the proxy ends with a stream-level failure.</summary>
internal sealed class EntityStreamException(string message, Exception? inner = null) : Exception(message, inner);
