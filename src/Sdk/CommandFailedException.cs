namespace Cloudstate.Es.Sdk;

/// <summary>
/// Thrown by <see cref="EventSourced.CommandContext{TState}.Fail"/>: the command fails with this message, its events are
/// discarded, and the client receives the message as the error.
/// </summary>
public sealed class CommandFailedException(string message) : Exception(message);
