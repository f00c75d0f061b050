using Cloudstate.Es.Journal;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.Snapshots;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Proto;

namespace Cloudstate.Es.Proxy.Entities;

internal sealed partial class EventSourcedEntityActor
{
    private async Task HandleAsync(IContext context, EntityCommand command)
    {
        if (stoppedBecause is not null)
        {
            context.Respond(EntityOutcome.Failed(StatusCode.Unavailable, $"Entity {key} of {service.Name} stopped ({stoppedBecause}); retry the command."));
            return;
        }

        if (!await EnsureSessionAsync(context).ConfigureAwait(false))
        {
            return;
        }

        long commandId;
        EventSourcedStreamOut? output;
        try
        {
            (commandId, output) = await session!.SendAsync(key, command, lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException)
        {
            var reason = $"the stream to the user function broke: {(e is RpcException rpc ? rpc.Status.Detail : e.Message)}";
            await FailAndStopAsync(context, StatusCode.Unavailable, reason).ConfigureAwait(false);
            return;
        }

        switch (output)
        {
            case null:
                await FailAndStopAsync(context, StatusCode.Unavailable, "the user function closed the entity stream").ConfigureAwait(false);
                break;
            case { MessageCase: EventSourcedStreamOut.MessageOneofCase.Failure } failed:
                // A stream-level failure: the user function's word on this command, then the instance is gone.
                var code = failed.Failure.CommandId == commandId ? StatusCode.Unknown : StatusCode.Unavailable;
                await FailAndStopAsync(context, code, $"the user function failed the entity: {failed.Failure.Description}", failed.Failure.Description).ConfigureAwait(false);
                break;
            case { MessageCase: EventSourcedStreamOut.MessageOneofCase.Reply, Reply: var reply } when reply.CommandId != commandId:
                await FailAndStopAsync(context, StatusCode.Unavailable, $"the user function answered command {reply.CommandId} while command {commandId} was in flight").ConfigureAwait(false);
                break;
            case { MessageCase: EventSourcedStreamOut.MessageOneofCase.Reply, Reply: var reply }:
                await CompleteAsync(context, reply).ConfigureAwait(false);
                break;
            default:
                await FailAndStopAsync(context, StatusCode.Unavailable, $"the user function sent an empty message for command {commandId}").ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Persists the reply's events (all or none, at the expected sequence number), then its snapshot, then answers.</summary>
    private async Task CompleteAsync(IContext context, EventSourcedReply reply)
    {
        var action = reply.ClientAction;
        if (action?.Failure is { } failure)
        {
            // A user failure persists nothing; with restart the next command replays the instance from the journal.
            context.Respond(EntityOutcome.Failed(StatusCode.Unknown, failure.Description));
            if (failure.Restart)
            {
                LogRestart(Logger, stream.Value);
                await EndSessionAsync().ConfigureAwait(false);
            }

            return;
        }

        if (action is null)
        {
            await FailAndStopAsync(context, StatusCode.Unavailable, "the user function's reply has no client action").ConfigureAwait(false);
            return;
        }

        if (reply.Events.Count > 0 && !await PersistAsync(context, reply).ConfigureAwait(false))
        {
            return;
        }

        context.Respond(EntityOutcome.From(action, reply.SideEffects));
    }

    private async Task<bool> PersistAsync(IContext context, EventSourcedReply reply)
    {
        var expected = session!.Sequence;
        var events = reply.Events.Select(e => new EventData(e.TypeUrl, e.Value.Memory)).ToArray();
        AppendResult result;
        try
        {
            result = await dependencies.Journal.AppendAsync(stream, expected, events, lifetime.Token).ConfigureAwait(false);
        }
        catch (AppendOutcomeUnknownException e)
        {
            // Stored or not, nobody can say: the client must not read it as either, and the state is replayed before use.
            LogPersistFailed(Logger, stream.Value, e);
            await FailAndStopAsync(
                context,
                StatusCode.DeadlineExceeded,
                "the journal lost its connection while storing the events; whether they were stored is unknown",
                $"Entity {key} of {service.Name}: the journal lost its connection while storing the events; whether they were stored is unknown").ConfigureAwait(false);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The user function has applied events that may not be stored: its state can only be trusted after a replay.
            LogPersistFailed(Logger, stream.Value, e);
            await FailAndStopAsync(context, StatusCode.Unavailable, $"the journal could not store the events: {e.Message}").ConfigureAwait(false);
            return false;
        }

        if (result.IsConflict)
        {
            await FailAndStopAsync(context, StatusCode.Unavailable, $"another writer moved the stream to sequence {result.LastSequence} (expected {expected})").ConfigureAwait(false);
            return false;
        }

        session.Sequence = result.LastSequence;
        if (reply.Snapshot is { } snapshot && dependencies.SnapshotPolicy.ShouldSave(lastSnapshot, result.LastSequence))
        {
            try
            {
                await dependencies.Snapshots.SaveAsync(stream, new Snapshot(result.LastSequence, snapshot.TypeUrl, snapshot.Value.Memory), lifetime.Token).ConfigureAwait(false);
                lastSnapshot = result.LastSequence;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The events are stored; a lost snapshot only costs a longer replay.
                LogSnapshotFailed(Logger, stream.Value, e);
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Entity {Stream} restarts at the user function's request")]
    private static partial void LogRestart(ILogger logger, string stream);

    [LoggerMessage(Level = LogLevel.Error, Message = "Entity {Stream} could not persist its events")]
    private static partial void LogPersistFailed(ILogger logger, string stream, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity {Stream} could not save a snapshot")]
    private static partial void LogSnapshotFailed(ILogger logger, string stream, Exception exception);
}
