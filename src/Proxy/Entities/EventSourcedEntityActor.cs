using Cloudstate.Es.Journal;
using Cloudstate.Es.Proxy.Discovery;
using Cloudstate.Es.Snapshots;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Proto;
using Proto.Cluster;

namespace Cloudstate.Es.Proxy.Entities;

/// <summary>
/// The virtual actor of one event-sourced entity instance. It owns the instance's stream to the user function, handles
/// one command at a time (the mailbox keeps the rest in arrival order), persists each reply's events before answering,
/// and passivates when idle. When the stream breaks it stops: commands already queued fail, the next one reactivates it.
/// </summary>
internal sealed partial class EventSourcedEntityActor(EntityService service, EntityDependencies dependencies) : IActor
{
    private readonly CancellationTokenSource lifetime = new();
    private string key = "";
    private StreamId stream;
    private EntitySession? session;
    private SequenceNumber lastSnapshot;
    private string? stoppedBecause;

    private ILogger Logger => dependencies.Logger;

    public Task ReceiveAsync(IContext context) => context.Message switch
    {
        Started => Start(context),
        EntityCommand command => HandleAsync(context, command),
        ReceiveTimeout => Passivate(context),
        Stopping => CloseAsync(),
        _ => Task.CompletedTask,
    };

    private Task Start(IContext context)
    {
        key = context.ClusterIdentity()!.Identity;
        stream = StreamId.For(service.PersistenceId, key);
        context.SetReceiveTimeout(service.PassivationTimeout ?? dependencies.Options.PassivationTimeout);
        return Task.CompletedTask;
    }

    private Task Passivate(IContext context)
    {
        LogPassivating(Logger, stream.Value);
        context.Stop(context.Self);
        return Task.CompletedTask;
    }

    private async Task CloseAsync()
    {
        await lifetime.CancelAsync().ConfigureAwait(false);
        await EndSessionAsync().ConfigureAwait(false);
        lifetime.Dispose();
    }

    private async Task EndSessionAsync()
    {
        if (session is { } open)
        {
            session = null;
            await open.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The instance is broken: answer the command in flight, then stop. The stop is queued before the answer goes out,
    /// so commands already waiting fail with UNAVAILABLE while any sent after the answer start a fresh instance.
    /// </summary>
    private async Task FailAndStopAsync(IContext context, StatusCode code, string reason, string? clientMessage = null)
    {
        LogStopped(Logger, stream.Value, reason);
        stoppedBecause = reason;
        context.Poison(context.Self);
        context.Respond(EntityOutcome.Failed(code, clientMessage ?? $"Entity {key} of {service.Name} stopped: {reason}"));
        await EndSessionAsync().ConfigureAwait(false);
    }

    private async Task<bool> EnsureSessionAsync(IContext context)
    {
        if (session is not null)
        {
            return true;
        }

        try
        {
            var snapshot = await dependencies.Snapshots.LoadAsync(stream, lifetime.Token).ConfigureAwait(false);
            lastSnapshot = snapshot?.Sequence ?? SequenceNumber.None;
            session = await EntitySession.OpenAsync(
                dependencies.UserFunction, service.Name, key, stream, snapshot, dependencies.Journal, lifetime.Token).ConfigureAwait(false);
            LogActivated(Logger, stream.Value, session.Sequence.Value, lastSnapshot.Value);
            return true;
        }
        catch (RpcException e)
        {
            context.Respond(EntityOutcome.Failed(StatusCode.Unavailable, $"The user function is unavailable: {e.Status.Detail}"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogActivationFailed(Logger, stream.Value, e);
            context.Respond(EntityOutcome.Failed(StatusCode.Unavailable, $"Entity {key} could not be loaded: {e.Message}"));
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Entity {Stream} activated at sequence {Sequence} (snapshot at {Snapshot})")]
    private static partial void LogActivated(ILogger logger, string stream, long sequence, long snapshot);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Entity {Stream} passivates")]
    private static partial void LogPassivating(ILogger logger, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity {Stream} stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, string stream, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Entity {Stream} could not be activated")]
    private static partial void LogActivationFailed(ILogger logger, string stream, Exception exception);
}
