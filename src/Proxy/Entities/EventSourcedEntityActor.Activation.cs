using System.Diagnostics;
using Cloudstate.Es.Journal;
using Cloudstate.Es.Proxy.Diagnostics;
using Cloudstate.Es.Snapshots;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Proto;

namespace Cloudstate.Es.Proxy.Entities;

internal sealed partial class EventSourcedEntityActor
{
    /// <summary>True while the session was started from a snapshot and has not answered a command yet: a failure then
    /// may be the user function refusing the snapshot.</summary>
    private bool onUntriedSnapshot;

    /// <summary>
    /// Opens the session if there is none: the latest usable snapshot, then the journal's events after it. Answers the
    /// command and returns false when the instance cannot be activated.
    /// </summary>
    private async Task<bool> EnsureSessionAsync(IContext context, bool useSnapshot = true)
    {
        if (session is not null)
            return true;

        Snapshot? snapshot = null;
        try
        {
            snapshot = useSnapshot ? await UsableSnapshotAsync().ConfigureAwait(false) : null;
            await OpenSessionAsync(snapshot).ConfigureAwait(false);
            return true;
        }
        catch (RpcException e) when (snapshot is { } refused)
        {
            // The user function ended the stream while the snapshot and replay went out: it may have refused the snapshot.
            LogSnapshotRefused(Logger, stream.Value, refused.Sequence.Value, $"the stream ended with {e.StatusCode}");
            return await EnsureSessionAsync(context, useSnapshot: false).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            await FailAndStopAsync(context, StatusCode.DeadlineExceeded, $"the replay did not move: {e.Message}").ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            LogUserFunctionUnavailable(Logger, stream.Value, e.StatusCode, e.Status.Detail);
            Fail(context, StatusCode.Unavailable, $"{Name} could not be activated: the user function is unavailable ({e.StatusCode}).");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogActivationFailed(Logger, stream.Value, e);
            Fail(context, StatusCode.Unavailable, $"{Name} could not be loaded from the journal.");
        }

        return false;
    }

    private async Task OpenSessionAsync(Snapshot? snapshot)
    {
        lastSnapshot = snapshot?.Sequence ?? SequenceNumber.None;
        var started = Stopwatch.GetTimestamp();
        using var activity = ProxyTracing.Source.StartActivity("activate");
        activity?.SetTag("cloudstate.snapshot_sequence", lastSnapshot.Value);
        try
        {
            session = await EntitySession.OpenAsync(
                dependencies.UserFunction, service.Name, key, stream, snapshot, dependencies.Journal, dependencies.Options.Entities.CommandTimeout, lifetime.Token).ConfigureAwait(false);
        }
        catch
        {
            dependencies.Instruments.Activated(service.Name, succeeded: false, started, events: 0);
            throw;
        }

        dependencies.Instruments.Activated(service.Name, succeeded: true, started, session.Sequence.Value - lastSnapshot.Value);
        dependencies.Instruments.StreamOpened(+1);
        activity?.SetTag("cloudstate.replayed_events", session.Sequence.Value - lastSnapshot.Value);
        onUntriedSnapshot = snapshot is not null;
        LogActivated(Logger, stream.Value, session.Sequence.Value, lastSnapshot.Value);
    }

    /// <summary>
    /// The latest snapshot, unless it cannot be read or claims more events than the journal holds: a snapshot is only a
    /// shortcut, so an unusable one is logged and the instance replays the journal from the start instead.
    /// </summary>
    private async Task<Snapshot?> UsableSnapshotAsync()
    {
        Snapshot? snapshot;
        try
        {
            snapshot = await dependencies.Snapshots.LoadAsync(stream, lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSnapshotUnreadable(Logger, stream.Value, e);
            return null;
        }

        if (snapshot is not { } found)
            return null;
        var last = await dependencies.Journal.ReadLastSequenceAsync(stream, lifetime.Token).ConfigureAwait(false);
        if (found.Sequence > last)
        {
            LogSnapshotAhead(Logger, stream.Value, found.Sequence.Value, last.Value);
            return null;
        }

        return snapshot;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Entity {Stream} activated at sequence {Sequence} (snapshot at {Snapshot})")]
    private static partial void LogActivated(ILogger logger, string stream, long sequence, long snapshot);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity {Stream} could not be activated: the user function answered {Code} ({Detail})")]
    private static partial void LogUserFunctionUnavailable(ILogger logger, string stream, StatusCode code, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Entity {Stream} could not be activated")]
    private static partial void LogActivationFailed(ILogger logger, string stream, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity {Stream}: the snapshot cannot be read and is ignored; the instance replays the journal from the start")]
    private static partial void LogSnapshotUnreadable(ILogger logger, string stream, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity {Stream}: the snapshot at sequence {Snapshot} is ahead of the journal (last event {Last}) and is ignored")]
    private static partial void LogSnapshotAhead(ILogger logger, string stream, long snapshot, long last);
}
