using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using EventStore.Client.Streams;
using Grpc.Core;

namespace Cloudstate.Es.Journal.EventStoreDb;

/// <summary>
/// Appends of many streams in flight at once on one <c>BatchAppend</c> call, each a request with its own correlation id
/// and answered by it; the node commits what arrives while its writer is busy together, which makes this the journal's
/// group commit. At most <see cref="EventStoreDbOptions.MaxAppendsInFlight"/> are in flight. When the call breaks, a new
/// one is opened for the next append, and every append in flight on the broken one fails with
/// <see cref="BatchAppendLostException"/> saying whether it had been sent.
/// </summary>
internal sealed class BatchAppendCall : IAsyncDisposable
{
    private readonly EventStoreDbNode node;
    private readonly SemaphoreSlim slots;
    private readonly Lock gate = new();
    private readonly CancellationTokenSource disposed = new();
    private Connection? current;

    public BatchAppendCall(EventStoreDbNode node)
    {
        this.node = node;
        slots = new SemaphoreSlim(node.Options.MaxAppendsInFlight, node.Options.MaxAppendsInFlight);
    }

    /// <summary>
    /// Sends <paramref name="request"/> and returns the node's answer. A cancellation counts only until the request is
    /// sent; after that the answer is awaited (or the call's loss reported), so the caller always learns what it can.
    /// </summary>
    public async Task<BatchAppendResp> AppendAsync(BatchAppendReq request, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = new Pending(request, cancellationToken);
            var connection = Current();
            connection.Send(pending);
            // Bounded even if the node takes the request and never answers: then the call is given up and opened again.
            var answer = pending.Task.WaitAsync(node.Options.CallTimeout + TimeSpan.FromSeconds(1));
            try
            {
                return await answer.ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                connection.Break(e);
                return await pending.Task.ConfigureAwait(false);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Connection? last;
        lock (gate)
        {
            last = current;
            current = null;
        }

        await disposed.CancelAsync().ConfigureAwait(false);
        if (last is not null)
            await last.DisposeAsync().ConfigureAwait(false);
        disposed.Dispose();
        slots.Dispose();
    }

    private Connection Current()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed.IsCancellationRequested, this);
            if (current is null || current.IsBroken)
            {
                // The broken call has failed its appends already; what is left is releasing it.
                if (current is not null)
                    _ = current.DisposeAsync().AsTask();
                current = new Connection(node, disposed.Token);
            }

            return current;
        }
    }

    /// <summary>An append waiting for its answer.</summary>
    private sealed class Pending(BatchAppendReq request, CancellationToken cancellationToken)
        : TaskCompletionSource<BatchAppendResp>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public BatchAppendReq Request { get; } = request;

        public Guid Correlation { get; } = Uuids.ToGuid(request.CorrelationId);

        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// <summary>Set once the request has been handed to the call: from then on the node may have stored it.</summary>
        public volatile bool Sent;
    }

    /// <summary>One BatchAppend call: a writer sending the queued requests in order, a reader matching the answers.</summary>
    private sealed class Connection : IAsyncDisposable
    {
        private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
        private readonly ConcurrentDictionary<Guid, Pending> inFlight = new();
        private readonly CancellationTokenSource broken;
        private readonly AsyncDuplexStreamingCall<BatchAppendReq, BatchAppendResp> call;
        private readonly Task writer;
        private readonly Task reader;
        private Exception? failure;

        public Connection(EventStoreDbNode node, CancellationToken disposed)
        {
            broken = CancellationTokenSource.CreateLinkedTokenSource(disposed);
            call = node.Streams.BatchAppend(node.LongCall(broken.Token));
            writer = Task.Run(WriteAsync);
            reader = Task.Run(ReadAsync);
        }

        public bool IsBroken => Volatile.Read(ref failure) is not null;

        public void Send(Pending pending)
        {
            inFlight[pending.Correlation] = pending;
            if (IsBroken || !queue.Writer.TryWrite(pending))
                Fail(pending);
        }

        /// <summary>Ends the call: every append still in flight on it fails, telling whether it was sent.</summary>
        public void Break(Exception reason)
        {
            if (Interlocked.CompareExchange(ref failure, reason, null) is not null)
                return;
            queue.Writer.TryComplete();
            try
            {
                broken.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }

            foreach (var pending in inFlight.Values)
                Fail(pending);
        }

        public async ValueTask DisposeAsync()
        {
            Break(new ObjectDisposedException(nameof(BatchAppendCall)));
            await Task.WhenAll(writer, reader).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            call.Dispose();
            broken.Dispose();
        }

        private void Fail(Pending pending)
        {
            // A call that never reached the node (no connection could be made) carried nothing, whatever was written to it.
            if (inFlight.TryRemove(pending.Correlation, out _))
                pending.TrySetException(new BatchAppendLostException(pending.Sent && !NeverConnected(failure!), failure!));
        }

        private static bool NeverConnected(Exception failure)
        {
            for (Exception? e = failure; e is not null; e = e is RpcException rpc && rpc.Status.DebugException is { } debug ? debug : e.InnerException)
            {
                if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
                    or SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.AddressNotAvailable })
                    return true;
            }

            return false;
        }

        private async Task WriteAsync()
        {
            try
            {
                await foreach (var pending in queue.Reader.ReadAllAsync().ConfigureAwait(false))
                {
                    if (pending.CancellationToken.IsCancellationRequested)
                    {
                        if (inFlight.TryRemove(pending.Correlation, out _))
                            pending.TrySetCanceled(pending.CancellationToken);
                        continue;
                    }

                    pending.Sent = true;
                    await call.RequestStream.WriteAsync(pending.Request).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                Break(e);
            }
        }

        private async Task ReadAsync()
        {
            try
            {
                await foreach (var response in call.ResponseStream.ReadAllAsync().ConfigureAwait(false))
                {
                    if (inFlight.TryRemove(Uuids.ToGuid(response.CorrelationId), out var pending))
                        pending.TrySetResult(response);
                }

                Break(new RpcException(new Status(StatusCode.Unavailable, "EventStoreDB ended the BatchAppend call.")));
            }
            catch (Exception e)
            {
                Break(e);
            }
        }
    }
}

/// <summary>The BatchAppend call an append was on broke before its answer came; <see cref="Sent"/> says whether the node may have stored it.</summary>
internal sealed class BatchAppendLostException(bool sent, Exception reason)
    : Exception(sent ? "The connection to EventStoreDB broke after the append was sent." : "The connection to EventStoreDB broke before the append was sent.", reason)
{
    public bool Sent { get; } = sent;
}
