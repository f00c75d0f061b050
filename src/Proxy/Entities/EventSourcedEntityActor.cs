using System.Diagnostics;
using Cloudstate.Es.Journal;
using Cloudstate.Es.Proxy.Diagnostics;
using Cloudstate.Es.Proxy.Discovery;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Proto;
using Proto.Cluster;

namespace Cloudstate.Es.Proxy.Entities;

/// <summary>
/// The virtual actor of one event-sourced entity instance. It owns the instance's stream to the user function, handles
/// one command at a time (the mailbox keeps the rest in arrival order), persists each reply's events before answering,
/// and passivates when idle. When the stream breaks or the user function stops answering it stops: commands already
/// queued fail, the next one reactivates it. Every command it takes gets exactly one answer, whatever goes wrong.
/// </summary>
internal sealed partial class EventSourcedEntityActor(EntityService service, EntityDependencies dependencies) : IActor
{
    private readonly CancellationTokenSource lifetime = new();
    private string key = "";
    private StreamId stream;
    private EntitySession? session;
    private SequenceNumber lastSnapshot;
    private string? stoppedBecause;
    private bool fenced;
    private bool answered;
    private ActiveEntities.Instance? counted;

    private ILogger Logger => dependencies.Logger;

    /// <summary>How the client names this instance in error messages.</summary>
    private string Name => $"Entity {key} of {service.Name}";

    public Task ReceiveAsync(IContext context) => context.Message switch
    {
        Started => Start(context),
        EntityCommand command => TakeAsync(context, command),
        ReceiveTimeout => Passivate(context),
        Stopping => CloseAsync(),
        Stopped => Deactivate(),
        _ => Task.CompletedTask,
    };

    private Task Start(IContext context)
    {
        key = context.ClusterIdentity()!.Identity;
        stream = StreamId.For(service.PersistenceId, key);
        context.SetReceiveTimeout(service.PassivationTimeout ?? dependencies.Options.Entities.PassivationTimeout);
        var passivate = new List<PID>(1);
        counted = dependencies.Active.TryActivate(context.Self, passivate);
        foreach (var idle in passivate)
        {
            LogMakingRoom(Logger, idle.Id, dependencies.Active.Limit);
            context.Poison(idle);
        }

        if (counted is null)
        {
            // Every active instance is busy: this one refuses the commands already sent to it and goes, so the node stays
            // within its limit.
            stoppedBecause = $"this node has {dependencies.Active.Limit} active entity instances, none of them idle";
            context.Poison(context.Self);
        }

        return Task.CompletedTask;
    }

    private Task Deactivate()
    {
        if (counted is not null)
            dependencies.Active.Deactivate(counted);
        return Task.CompletedTask;
    }

    private Task Passivate(IContext context)
    {
        LogPassivating(Logger, stream.Value);
        dependencies.Instruments.Passivated(service.Name);
        context.Stop(context.Self);
        return Task.CompletedTask;
    }

    private async Task CloseAsync()
    {
        await lifetime.CancelAsync().ConfigureAwait(false);
        await EndSessionAsync().ConfigureAwait(false);
        answerTimer?.Dispose();
        lifetime.Dispose();
    }

    private async Task EndSessionAsync(bool abort = false)
    {
        if (session is { } open)
        {
            session = null;
            dependencies.Instruments.StreamOpened(-1);
            await (abort ? open.AbortAsync() : open.DisposeAsync()).ConfigureAwait(false);
        }
    }

    /// <summary>Handles one command; an exception nothing else caught still ends in an answer, and the instance stops.</summary>
    private async Task TakeAsync(IContext context, EntityCommand command)
    {
        answered = false;
        if (counted is null)
        {
            Fail(context, StatusCode.ResourceExhausted, $"{Name} cannot be activated: {stoppedBecause}; retry later.");
            return;
        }

        if (!dependencies.Active.TryBusy(counted))
        {
            // The node is leaving the cluster: it takes no more commands, and announces that it left only once those it
            // took are answered, so this one goes to the entity's next owner.
            Answer(context, EntityOutcome.Leaving(context.System.Id, $"{Name} is on a node leaving the cluster; the command was not handled, retry it."));
            return;
        }

        // The entity's span, under the command's span from the front end (on whichever node that was).
        using var activity = ProxyTracing.Source.StartActivity($"entity {service.Name}", ActivityKind.Internal, ProxyTracing.ParentOf(command.Metadata));
        activity?.SetTag("cloudstate.entity_key", key);
        try
        {
            await HandleAsync(context, command).ConfigureAwait(false);
        }
        catch (Exception e) when (!answered)
        {
            LogUnexpected(Logger, stream.Value, e);
            await FailAndStopAsync(context, StatusCode.Internal, "an unexpected error in the proxy", abort: true).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Answered already; the instance cannot be trusted to be in step with the journal any more.
            LogUnexpected(Logger, stream.Value, e);
            StopNow(context, "an unexpected error in the proxy");
            await EndSessionAsync(abort: true).ConfigureAwait(false);
        }
        finally
        {
            dependencies.Active.Idle(counted);
        }
    }

    private void Answer(IContext context, EntityOutcome outcome)
    {
        answered = true;
        context.Respond(outcome);
    }

    private void Fail(IContext context, StatusCode code, string message) => Answer(context, EntityOutcome.Failed(code, message));

    /// <summary>
    /// The instance is broken: answer the command in flight, then stop. The stop is queued before the answer goes out,
    /// so commands already waiting fail with UNAVAILABLE while any sent after the answer start a fresh instance.
    /// </summary>
    private async Task FailAndStopAsync(IContext context, StatusCode code, string reason, string? clientMessage = null, bool abort = false)
    {
        StopNow(context, reason);
        Fail(context, code, clientMessage ?? $"{Name} stopped: {reason}.");
        await EndSessionAsync(abort).ConfigureAwait(false);
    }

    private void StopNow(IContext context, string reason)
    {
        LogStopped(Logger, stream.Value, reason);
        stoppedBecause = reason;
        context.Poison(context.Self);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Actor {Actor} passivates early: the node is at its limit of {Limit} active instances")]
    private static partial void LogMakingRoom(ILogger logger, string actor, int limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Entity {Stream} passivates")]
    private static partial void LogPassivating(ILogger logger, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Entity {Stream} stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, string stream, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Entity {Stream} failed a command with an unexpected error")]
    private static partial void LogUnexpected(ILogger logger, string stream, Exception exception);
}
