using System.Diagnostics;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.Proxy.Diagnostics;
using Cloudstate.Es.Proxy.UserFunction;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Proto;

namespace Cloudstate.Es.Proxy.Entities;

internal sealed partial class EventSourcedEntityActor
{
    private CancellationTokenSource? answerTimer;

    private async Task HandleAsync(IContext context, EntityCommand command)
    {
        if (stoppedBecause is not null)
        {
            Answer(context, fenced
                ? EntityOutcome.Fenced($"{Name} stopped ({stoppedBecause}) before this command reached it.")
                : EntityOutcome.Failed(StatusCode.Unavailable, $"{Name} stopped ({stoppedBecause}); retry the command."));
            return;
        }

        if (IsLate(context, command) || !await EnsureSessionAsync(context).ConfigureAwait(false) || IsLate(context, command))
            return;

        var exchange = await ExchangeAsync(command).ConfigureAwait(false);
        if (exchange.Break is { ByCommand: false } && onUntriedSnapshot)
        {
            // The stream failed before the user function answered anything on it: it may have refused the snapshot. The
            // command was not handled (nothing is stored and no side effect ran), so it is sent once more after a replay
            // of the whole journal.
            LogSnapshotRefused(Logger, stream.Value, lastSnapshot.Value, exchange.Break.Reason);
            await EndSessionAsync(abort: true).ConfigureAwait(false);
            if (!await EnsureSessionAsync(context, useSnapshot: false).ConfigureAwait(false) || IsLate(context, command))
                return;
            exchange = await ExchangeAsync(command).ConfigureAwait(false);
        }

        onUntriedSnapshot = false;
        if (exchange.Break is { } broken)
            await FailAndStopAsync(context, broken.Code, broken.Reason, broken.ClientMessage, broken.Abort).ConfigureAwait(false);
        else
            await CompleteAsync(context, command, exchange.Reply!).ConfigureAwait(false);
    }

    /// <summary>Answers DEADLINE_EXCEEDED, without sending it on, a command whose client or timeout gave up on it.</summary>
    private bool IsLate(IContext context, EntityCommand command)
    {
        if (DateTime.UtcNow < command.SendBy)
            return false;
        Fail(context, StatusCode.DeadlineExceeded, $"{Name}: the command's deadline passed before it reached the user function; nothing was done.");
        return true;
    }

    /// <summary>Sends the command and reads the user function's answer, waiting no longer than the command's timeout.</summary>
    private async Task<Exchange> ExchangeAsync(EntityCommand command)
    {
        // One timer source per instance, reset after each command that did not time out: no allocation per command.
        var answerBy = answerTimer ??= CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token);
        var left = command.AnswerBy - DateTime.UtcNow;
        if (left < TimeSpan.FromDays(1))
            answerBy.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        try
        {
            return await ExchangeAsync(command, answerBy.Token).ConfigureAwait(false);
        }
        finally
        {
            if (!answerBy.TryReset())
            {
                answerBy.Dispose();
                answerTimer = null;
            }
        }
    }

    private async Task<Exchange> ExchangeAsync(EntityCommand command, CancellationToken answerBy)
    {
        long commandId;
        EventSourcedStreamOut? output;
        // The exchange's span; the command's metadata carries it to the user function, whose handler span goes under it.
        using var activity = ProxyTracing.Source.StartActivity($"user-function {command.Method}", ActivityKind.Client);
        var sent = activity is null ? command : command with { Metadata = ProxyTracing.WithContext(command.Metadata?.Clone(), activity) };
        try
        {
            (commandId, output) = await session!.SendAsync(key, sent, answerBy).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!lifetime.IsCancellationRequested)
        {
            var timeout = dependencies.Options.Entities.CommandTimeout.TotalSeconds;
            dependencies.Instruments.StreamFailed(service.Name, "timeout");
            return Exchange.Broken(new(StatusCode.DeadlineExceeded, $"the user function did not answer command {session!.LastCommandId} within the command timeout ({timeout:0.###} s)", Abort: true));
        }
        catch (UserFunctionProtocolException e)
        {
            dependencies.Instruments.StreamFailed(service.Name, "protocol");
            return Exchange.Broken(new(StatusCode.Internal, $"the user function broke the protocol: {e.Message}", Abort: true));
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException)
        {
            var code = e is RpcException rpc ? rpc.StatusCode : StatusCode.Unavailable;
            LogStreamBroke(Logger, stream.Value, e);
            dependencies.Instruments.StreamFailed(service.Name, "broken");
            return Exchange.Broken(new(StatusCode.Unavailable, $"the stream to the user function broke ({code})"));
        }

        return output switch
        {
            null => Exchange.Broken(new(StatusCode.Unavailable, "the user function closed the entity stream")),
            // A stream-level failure: the user function's word on this command, then the instance is gone.
            { MessageCase: EventSourcedStreamOut.MessageOneofCase.Failure, Failure: var failure } => Exchange.Broken(new(
                failure.CommandId == commandId ? StatusCode.Unknown : StatusCode.Unavailable,
                $"the user function failed the entity: {failure.Description}",
                failure.Description,
                ByCommand: failure.CommandId == commandId)),
            { MessageCase: EventSourcedStreamOut.MessageOneofCase.Reply, Reply: var reply } when reply.CommandId != commandId =>
                Exchange.Broken(new(StatusCode.Unavailable, $"the user function answered command {reply.CommandId} while command {commandId} was in flight")),
            { MessageCase: EventSourcedStreamOut.MessageOneofCase.Reply, Reply: var reply } => new Exchange(reply, null),
            _ => Exchange.Broken(new(StatusCode.Internal, $"the user function broke the protocol: an empty stream message for command {commandId}")),
        };
    }

    /// <summary>Checks the reply, persists its events (all or none, at the expected sequence number), then answers.</summary>
    private async Task CompleteAsync(IContext context, EntityCommand command, EventSourcedReply reply)
    {
        if (reply.ClientAction?.Failure is { } failure)
        {
            // A user failure persists nothing; with restart the next command replays the instance from the journal.
            Fail(context, FailureStatus.Of(failure), failure.Description);
            if (failure.Restart)
            {
                LogRestart(Logger, stream.Value);
                await EndSessionAsync().ConfigureAwait(false);
            }

            return;
        }

        // The user function has applied the reply's events already: a reply the proxy refuses leaves it ahead of the
        // journal, so the instance stops and the next command replays it.
        if (ReplyCheck.Problem(dependencies.Catalog, service, command, reply) is { } problem)
        {
            await FailAndStopAsync(context, StatusCode.Internal, $"the user function broke the protocol: {problem}").ConfigureAwait(false);
            return;
        }

        if (reply.Events.Count > 0 ? !await PersistAsync(context, reply).ConfigureAwait(false) : !await IsCurrentAsync(context).ConfigureAwait(false))
            return;

        Answer(context, EntityOutcome.From(reply.ClientAction!, reply.SideEffects));
    }

    /// <summary>What the user function answered a command: a reply, or why the instance cannot go on.</summary>
    private sealed record Exchange(EventSourcedReply? Reply, StreamBreak? Break)
    {
        public static Exchange Broken(StreamBreak why) => new(null, why);
    }

    /// <summary>Why an exchange broke the instance: the status and reason, and whether the user function meant this command.</summary>
    private sealed record StreamBreak(StatusCode Code, string Reason, string? ClientMessage = null, bool Abort = false, bool ByCommand = false);

    [LoggerMessage(Level = LogLevel.Information, Message = "Entity {Stream} restarts at the user function's request")]
    private static partial void LogRestart(ILogger logger, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity {Stream}: the stream to the user function broke")]
    private static partial void LogStreamBroke(ILogger logger, string stream, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity {Stream}: the user function failed on the snapshot at sequence {Snapshot} ({Reason}); it is ignored and the journal replayed from the start")]
    private static partial void LogSnapshotRefused(ILogger logger, string stream, long snapshot, string reason);
}
