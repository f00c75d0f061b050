using System.Diagnostics;
using System.Text;
using Cloudstate.Es.Protocol;
using Cloudstate.Es.Proxy.Cluster;
using Cloudstate.Es.Proxy.Diagnostics;
using Cloudstate.Es.Proxy.Discovery;
using Cloudstate.Es.Proxy.Entities;
using Cloudstate.Es.Proxy.Hosting;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Proto.Cluster;

namespace Cloudstate.Es.Proxy.Frontend;

/// <summary>
/// Sends a command to its entity instance in the cluster and turns the outcome into the client's answer: runs the side
/// effects (synchronous ones in order, before the reply) and follows forwards, whose reply becomes the client's.
/// </summary>
internal sealed partial class CommandRouter(
    Proto.Cluster.Cluster cluster, MemberDepartures departures, EntityCatalog catalog, ProxyOptions options, ProxyInstruments instruments, ILogger<CommandRouter> logger)
{
    private const int MaxForwards = 16;

    // A command that was not handled is sent again once if its instance was fenced, and up to this many times, each
    // after a longer pause, while nodes leaving the cluster refuse it.
    private const int MaxRetries = 5;

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

    // The entity answers by the command timeout itself (stopping an instance whose user function does not): the router
    // waits a little longer, so that the answer naming the entity arrives instead of a bare timeout.
    private static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The reply (payload and metadata) of <paramref name="method"/> for <paramref name="request"/>; throws
    /// <see cref="RpcException"/> with the status the client must see. The command timeout bounds it end to end, forwards
    /// included; a command still waiting for its entity at <paramref name="clientDeadline"/> is not sent to the user function.
    /// </summary>
    public async Task<CommandReply> HandleAsync(EntityMethod method, ByteString request, Protocol.Metadata? metadata, CancellationToken cancellationToken, DateTime? clientDeadline = null)
    {
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.Unknown;
        // The command's span continues the client's trace, and the command carries it on to the entity.
        using var activity = ProxyTracing.Source.StartActivity($"{method.Service.Name}/{method.Name}", ActivityKind.Server, ProxyTracing.ParentOf(metadata));
        if (activity is not null)
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", method.Service.Name);
            activity.SetTag("rpc.method", method.Name);
            metadata = ProxyTracing.WithContext(metadata, activity);
        }

        try
        {
            var reply = await RouteAsync(method, request, metadata, cancellationToken, clientDeadline).ConfigureAwait(false);
            code = StatusCode.OK;
            return reply;
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
            ProxyTracing.Failed(activity, code, e.Status.Detail);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            code = StatusCode.Cancelled;
            ProxyTracing.Failed(activity, code, "the client cancelled the command");
            throw;
        }
        finally
        {
            instruments.CommandAnswered(method, code, started);
        }
    }

    // What HandleAsync measures; side effects come back here, so that only the clients' commands are counted.
    private async Task<CommandReply> RouteAsync(EntityMethod method, ByteString request, Protocol.Metadata? metadata, CancellationToken cancellationToken, DateTime? clientDeadline = null)
    {
        var answerBy = DateTime.UtcNow + options.Entities.CommandTimeout;
        var sendBy = clientDeadline is { } deadline && deadline < answerBy ? deadline : answerBy;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Entities.CommandTimeout + AnswerGrace);
        for (var hops = 0; ; hops++)
        {
            var outcome = await SendAsync(method, request, metadata, sendBy, answerBy, timeout.Token).ConfigureAwait(false);
            var fencedRetried = false;
            for (var retries = 0; outcome.MayRetry && retries < MaxRetries; retries++)
            {
                if (outcome.LeavingMember is { } member)
                {
                    // Its node is leaving the cluster and did not handle it: once that node is out of the topology, to the
                    // entity's next owner. Proto.Cluster lets go of the node's connections and cached addresses just after
                    // the topology changes: a command sent again in that moment can still reach it, and waits a little more.
                    if (!await WhenGoneAsync(member, RetryPause * retries, timeout.Token).ConfigureAwait(false))
                        break;
                }
                else if (!fencedRetried)
                {
                    // Its instance lost the stream to another writer before storing anything: once more, to the current
                    // owner, which replays the stream first.
                    LogRetryingFenced(logger, method.Service.Name, method.Name);
                    fencedRetried = true;
                }
                else
                {
                    break;
                }

                outcome = await SendAsync(method, request, metadata, sendBy, answerBy, timeout.Token).ConfigureAwait(false);
            }

            if (outcome.Error is not null)
            {
                throw new RpcException(new Status(outcome.ErrorCode, outcome.Error));
            }

            await RunSideEffectsAsync(outcome.SideEffects, timeout.Token).ConfigureAwait(false);
            switch (outcome.Action!.ActionCase)
            {
                case ClientAction.ActionOneofCase.Reply:
                    return new CommandReply(outcome.Action.Reply.Payload?.Value ?? ByteString.Empty, outcome.Action.Reply.Metadata);
                case ClientAction.ActionOneofCase.Failure:
                    throw new RpcException(new Status(FailureStatus.Of(outcome.Action.Failure), outcome.Action.Failure.Description));
                case ClientAction.ActionOneofCase.Forward when hops < MaxForwards:
                    var forward = outcome.Action.Forward;
                    method = Resolve(forward.ServiceName, forward.CommandName);
                    request = forward.Payload?.Value ?? ByteString.Empty;
                    // The forward's entity joins the command's trace, as the first one did.
                    metadata = ProxyTracing.WithContext(forward.Metadata, Activity.Current);
                    break;
                case ClientAction.ActionOneofCase.Forward:
                    throw new RpcException(new Status(StatusCode.Internal, $"The command was forwarded more than {MaxForwards} times."));
                default:
                    throw new RpcException(new Status(StatusCode.Internal, "The user function's reply has no action."));
            }
        }
    }

    /// <summary>The entity instance's outcome for one command, without following forwards or running side effects.</summary>
    public async Task<EntityOutcome> SendAsync(EntityMethod method, ByteString request, Protocol.Metadata? metadata, DateTime sendBy, DateTime answerBy, CancellationToken cancellationToken)
    {
        string? error;
        string key;
        try
        {
            error = method.Key.TryRead(request.Span, out key);
        }
        catch (MalformedMessageException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"The request is not a valid {method.Descriptor.InputType.FullName}: {e.Message}"));
        }

        if (error is not null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, error));
        }

        // Cheap for the usual short key: a UTF-16 char is at most 3 UTF-8 bytes.
        if (key.Length * 3 > options.Frontend.MaxEntityKeyLength && Encoding.UTF8.GetByteCount(key) > options.Frontend.MaxEntityKeyLength)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"The entity key is {Encoding.UTF8.GetByteCount(key)} bytes long, over the limit of {options.Frontend.MaxEntityKeyLength}."));
        }

        var command = new EntityCommand(method.Name, method.InputTypeUrl, request, metadata, sendBy, answerBy);
        try
        {
            // Proto.Cluster waits for each attempt up to its own request timeout, whatever the token says: the token bounds it here.
            return await cluster.RequestAsync<EntityOutcome>(ClusterIdentity.Create(key, method.Service.Name), command, departures.Sender, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new TimeoutException();
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"Entity {key} of {method.Service.Name} did not answer in time."));
        }
        catch (TimeoutException)
        {
            // Before the deadline, Proto.Cluster gives up only when this node's actor system is stopping.
            throw new RpcException(new Status(StatusCode.Unavailable, $"Entity {key} of {method.Service.Name} cannot be reached: this proxy is leaving the cluster."));
        }
        finally
        {
            departures.Answered(command);
        }
    }

    private async Task<bool> WhenGoneAsync(string member, TimeSpan pause, CancellationToken cancellationToken)
    {
        try
        {
            if (!await departures.WhenGoneAsync(member, cancellationToken).ConfigureAwait(false))
                return false;
            if (pause > TimeSpan.Zero)
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private EntityMethod Resolve(string serviceName, string commandName) =>
        catalog.Find(serviceName)?.Methods.GetValueOrDefault(commandName)
        ?? throw new RpcException(new Status(StatusCode.Internal, $"The user function forwarded to {serviceName}/{commandName}, which is not an entity method it declared."));

    private async Task RunSideEffectsAsync(IEnumerable<SideEffect>? sideEffects, CancellationToken cancellationToken)
    {
        foreach (var effect in sideEffects ?? [])
        {
            var run = RunSideEffectAsync(effect, effect.Synchronous ? cancellationToken : CancellationToken.None);
            if (effect.Synchronous)
            {
                await run.ConfigureAwait(false);
            }
        }
    }

    private async Task RunSideEffectAsync(SideEffect effect, CancellationToken cancellationToken)
    {
        try
        {
            var target = Resolve(effect.ServiceName, effect.CommandName);
            await RouteAsync(target, effect.Payload?.Value ?? ByteString.Empty, ProxyTracing.WithContext(effect.Metadata, Activity.Current), cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            // A side effect never changes the reply of the command that asked for it.
            LogSideEffectFailed(logger, effect.ServiceName, effect.CommandName, e.StatusCode, e.Status.Detail);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A command for {Service}/{Method} met a fenced instance; sent once more to the entity's current owner")]
    private static partial void LogRetryingFenced(ILogger logger, string service, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Side effect {Service}/{Command} failed with {Code}: {Detail}")]
    private static partial void LogSideEffectFailed(ILogger logger, string service, string command, StatusCode code, string detail);
}
