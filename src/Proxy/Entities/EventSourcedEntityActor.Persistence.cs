using Cloudstate.Es.Journal;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.Snapshots;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Proto;

namespace Cloudstate.Es.Proxy.Entities;

internal sealed partial class EventSourcedEntityActor
{
    /// <summary>Appends the reply's events; on any failure answers the command, stops the instance and returns false.</summary>
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
                $"{Name}: the journal lost its connection while storing the events; whether they were stored is unknown.").ConfigureAwait(false);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The user function has applied events that may not be stored: its state can only be trusted after a replay.
            LogPersistFailed(Logger, stream.Value, e);
            await FailAndStopAsync(context, StatusCode.Unavailable, "the journal could not store the events").ConfigureAwait(false);
            return false;
        }

        if (result.IsConflict)
        {
            // The fence: another activation of this entity (on another node, during a topology change or a partition)
            // wrote first. Nothing of this command is stored; it and those waiting behind it go to the current owner.
            LogFenced(Logger, stream.Value, expected.Value, result.LastSequence.Value);
            fenced = true;
            StopNow(context, $"another writer moved the stream to sequence {result.LastSequence} (expected {expected})");
            Answer(context, EntityOutcome.Fenced($"{Name} stopped: another writer moved its stream to sequence {result.LastSequence}; nothing of the command was stored."));
            await EndSessionAsync(abort: true).ConfigureAwait(false);
            return false;
        }

        session.Sequence = result.LastSequence;
        if (reply.Snapshot is { } snapshot && dependencies.SnapshotPolicy.ShouldSave(lastSnapshot, result.LastSequence))
            await SaveSnapshotAsync(new Snapshot(result.LastSequence, snapshot.TypeUrl, snapshot.Value.Memory)).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The fence for a command that stores nothing (a read). In a cluster two activations of one entity can live for a
    /// while (a topology change, a partition, a node leaving while commands reach it); the one that did not write last
    /// would answer from a past state, and the write fence never sees it. So in a cluster its reply stands only if the
    /// stream is still where this activation left it; otherwise it stops like a fenced writer and the command goes to the
    /// current owner. A node alone needs no check: its activations are the only ones.
    /// </summary>
    private async Task<bool> IsCurrentAsync(IContext context)
    {
        if (!dependencies.Options.Cluster.IsMultiNode)
            return true;
        SequenceNumber last;
        try
        {
            last = await dependencies.Journal.ReadLastSequenceAsync(stream, lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPersistFailed(Logger, stream.Value, e);
            await FailAndStopAsync(context, StatusCode.Unavailable, "the journal could not be read to check the reply").ConfigureAwait(false);
            return false;
        }

        if (last == session!.Sequence)
            return true;
        LogReadFenced(Logger, stream.Value, session.Sequence.Value, last.Value);
        fenced = true;
        StopNow(context, $"another writer moved the stream to sequence {last} (this activation is at {session.Sequence})");
        Answer(context, EntityOutcome.Fenced($"{Name} stopped: another writer moved its stream to sequence {last}; its answer was from an earlier state."));
        await EndSessionAsync(abort: true).ConfigureAwait(false);
        return false;
    }

    /// <summary>Saves a snapshot; a failure is logged and never fails the command, whose events are stored.</summary>
    private async Task SaveSnapshotAsync(Snapshot snapshot)
    {
        try
        {
            await dependencies.Snapshots.SaveAsync(stream, snapshot, lifetime.Token).ConfigureAwait(false);
            lastSnapshot = snapshot.Sequence;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A lost snapshot only costs a longer replay.
            LogSnapshotFailed(Logger, stream.Value, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fence: entity {Stream} expected its stream at sequence {Expected} but another writer moved it to {Last}; this activation stops without storing its command's events, which go to the current owner")]
    private static partial void LogFenced(ILogger logger, string stream, long expected, long last);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fence: entity {Stream} is at sequence {At} but another writer moved its stream to {Last}; this activation stops without answering from its earlier state, and the command goes to the current owner")]
    private static partial void LogReadFenced(ILogger logger, string stream, long at, long last);

    [LoggerMessage(Level = LogLevel.Error, Message = "Entity {Stream} could not persist its events")]
    private static partial void LogPersistFailed(ILogger logger, string stream, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity {Stream} could not save a snapshot")]
    private static partial void LogSnapshotFailed(ILogger logger, string stream, Exception exception);
}
