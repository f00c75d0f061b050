using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.Tck.Kit;
using Cloudstate.Es.Tck.Model;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using static Cloudstate.Es.Tck.ModelCases.ModelMessages;

namespace Cloudstate.Es.Tck.ModelCases;

/// <summary>
/// One <c>EventSourced.handle</c> stream to the user function, driven the way a proxy drives it: init, replayed
/// events, commands with ids, and the answers read one at a time with a timeout.
/// </summary>
internal sealed class UserFunctionSession : IDisposable
{
    /// <summary>How long the kit waits for each message from the user function.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private readonly GrpcChannel channel;
    private readonly AsyncDuplexStreamingCall<EventSourcedStreamIn, EventSourcedStreamOut> call;
    private readonly CancellationToken cancellationToken;

    private UserFunctionSession(TckTarget target, string service, string entityId, CancellationToken cancellationToken)
    {
        Service = service;
        EntityId = entityId;
        this.cancellationToken = cancellationToken;
        channel = GrpcChannel.ForAddress($"http://{target.UserFunction}");
        call = new EventSourced.EventSourcedClient(channel).handle(cancellationToken: cancellationToken);
    }

    public string Service { get; }

    public string EntityId { get; }

    /// <summary>Opens a stream for the instance <paramref name="entityId"/> of <paramref name="service"/>; nothing is sent yet.</summary>
    public static UserFunctionSession Open(TckTarget target, string service, string entityId, CancellationToken cancellationToken) =>
        new(target, service, entityId, cancellationToken);

    /// <summary>Sends init, with a snapshot holding <paramref name="snapshot"/> at <paramref name="snapshotSequence"/> if given.</summary>
    public Task InitAsync(string? snapshot = null, long snapshotSequence = 0)
    {
        var init = new EventSourcedInit { ServiceName = Service, EntityId = EntityId };
        if (snapshot is not null)
        {
            init.Snapshot = new EventSourcedSnapshot { SnapshotSequence = snapshotSequence, Snapshot = Persisted(snapshot) };
        }

        return SendAsync(new EventSourcedStreamIn { Init = init }, "init");
    }

    /// <summary>Replays the event Persisted{value} with its sequence number.</summary>
    public Task SendEventAsync(long sequence, string value) =>
        SendAsync(new EventSourcedStreamIn { Event = new EventSourcedEvent { Sequence = sequence, Payload = Persisted(value) } }, $"event {sequence}");

    /// <summary>Sends Process with a Request for this entity carrying <paramref name="actions"/>.</summary>
    public Task SendProcessAsync(long commandId, params RequestAction[] actions) =>
        SendCommandAsync(commandId, "Process", new Request { Id = EntityId, Actions = { actions } });

    /// <summary>Sends Call (EventSourcedTwo, EventSourcedConfigured) with a Request for this entity.</summary>
    public Task SendCallAsync(long commandId) => SendCommandAsync(commandId, "Call", new Request { Id = EntityId });

    public Task SendCommandAsync(long commandId, string name, IMessage payload) =>
        SendAsync(new EventSourcedStreamIn { Command = new Command { EntityId = EntityId, Id = commandId, Name = name, Payload = Any.Pack(payload) } }, $"command {commandId}");

    /// <summary>Reads the next message and checks it is <paramref name="expected"/>; returns the reply.</summary>
    public async Task<EventSourcedReply> ExpectAsync(ExpectedReply expected)
    {
        var message = await ReadAsync(expected.ToString());
        expected.Check(message);
        return message!.Reply;
    }

    /// <summary>Reads the next message and checks it is a stream-level failure; <paramref name="expecting"/> says why one is due.</summary>
    public async Task<Failure> ExpectStreamFailureAsync(string expecting)
    {
        var message = await ReadAsync(expecting);
        return message?.Failure ?? throw new TckFailure($"expected {expecting}, got {StreamMessages.Describe(message)}");
    }

    /// <summary>Ends the stream as a proxy does when it passivates the instance, and expects the user function to end its side with nothing more.</summary>
    public async Task PassivateAsync()
    {
        try
        {
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The user function may have ended the stream first; what it sent is read below either way.
        }

        await ExpectEndAsync("the end of the stream after passivation");
    }

    /// <summary>Expects the user function to end the stream with no further message.</summary>
    public async Task ExpectEndAsync(string expecting)
    {
        var message = await ReadAsync(expecting);
        if (message is not null)
        {
            throw new TckFailure($"expected {expecting}, got {StreamMessages.Describe(message)}");
        }
    }

    /// <summary>The next message, or null when the user function ended the stream.</summary>
    public async Task<EventSourcedStreamOut?> ReadAsync(string expecting)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            return await call.ResponseStream.MoveNext(timeout.Token) ? call.ResponseStream.Current : null;
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException)
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TckFailure(cancellationToken.IsCancellationRequested
                    ? $"expected {expecting}, got nothing before the case timed out"
                    : $"expected {expecting}, got nothing within {ReadTimeout.TotalSeconds:0} s");
            }

            throw new TckFailure(e is RpcException rpc
                ? $"expected {expecting}, got the stream closed with status {rpc.StatusCode} {Quote(rpc.Status.Detail)}"
                : $"expected {expecting}, got {e.Message}");
        }
    }

    public void Dispose()
    {
        call.Dispose();
        channel.Dispose();
    }

    private async Task SendAsync(EventSourcedStreamIn message, string what)
    {
        try
        {
            await call.RequestStream.WriteAsync(message, cancellationToken);
        }
        catch (Exception e) when ((e is RpcException or InvalidOperationException) && !cancellationToken.IsCancellationRequested)
        {
            throw new TckFailure(e is RpcException rpc
                ? $"could not send {what} to the user function: status {rpc.StatusCode} {Quote(rpc.Status.Detail)}"
                : $"could not send {what} to the user function: {e.Message}");
        }
    }
}
