using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Cloudstate.Es.Protocol.EventSourced;
using Google.Protobuf;
using Grpc.Core;

namespace Cloudstate.Es.Proxy.UserFunction;

/// <summary>
/// One <c>EventSourced.handle</c> call to the user function, framed by hand over HTTP/2. Grpc.Net.Client flushes after
/// every message, which caps a replay at one HTTP/2 frame and one flush per event; here messages are buffered and sent
/// together on <see cref="FlushAsync"/>, so a replay of many events costs a few large writes. Failures of the call
/// surface as <see cref="RpcException"/>, as they would from a generated client.
/// </summary>
internal sealed class EntityStreamCall : IAsyncDisposable
{
    private const int HeaderSize = 5;
    private const int MinimumBuffer = 4096;
    private const int SmallFrame = 256;
    // A frame buffer grown past this for one large reply is dropped after it, so an entity does not keep it for life.
    private const int RetainedFrame = 64 * 1024;
    private static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);
    private readonly DuplexContent content = new();
    private readonly Task<HttpResponseMessage> response;
    private readonly CancellationTokenSource cancel;
    private readonly int maxMessageSize;
    private Stream? responseBody;
    private byte[] frame = new byte[SmallFrame];

    // What the next flush sends. Rented only while something waits to be sent: an idle entity holds no buffer.
    private byte[]? pending;
    private int pendingLength;

    private EntityStreamCall(HttpMessageInvoker invoker, Uri address, int maxMessageSize, CancellationToken cancellationToken)
    {
        this.maxMessageSize = maxMessageSize;
        cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var request = new HttpRequestMessage(HttpMethod.Post, address)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        response = invoker.SendAsync(request, cancel.Token);
    }

    /// <summary>Starts the call; nothing is sent until the first flush. Messages from the user function larger than
    /// <paramref name="maxMessageSize"/> break the call.</summary>
    public static EntityStreamCall Start(HttpMessageInvoker invoker, Uri address, int maxMessageSize, CancellationToken cancellationToken) =>
        new(invoker, address, maxMessageSize, cancellationToken);

    /// <summary>Adds <paramref name="message"/> to what the next <see cref="FlushAsync"/> sends.</summary>
    public void Buffer(EventSourcedStreamIn message)
    {
        var size = message.CalculateSize();
        var span = Reserve(HeaderSize + size);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
        message.WriteTo(span.Slice(HeaderSize, size));
        pendingLength += HeaderSize + size;
    }

    /// <summary>Sends what was buffered.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            var body = await RequestBodyAsync(cancellationToken).ConfigureAwait(false);
            await body.WriteAsync(pending.AsMemory(0, pendingLength), cancellationToken).ConfigureAwait(false);
            await body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
        {
            throw await FailureAsync(e).ConfigureAwait(false);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>
    /// The user function's next message; null when it ended the stream cleanly. A frame that breaks the protocol (too
    /// large, compressed, not a valid message) throws <see cref="UserFunctionProtocolException"/>.
    /// </summary>
    public async ValueTask<EventSourcedStreamOut?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var body = responseBody ??= await OpenResponseAsync(cancellationToken).ConfigureAwait(false);
            if (!await ReadExactlyOrEndAsync(body, HeaderSize, cancellationToken).ConfigureAwait(false))
            {
                ThrowIfFailed(await response.ConfigureAwait(false));
                return null;
            }

            if (frame[0] != 0)
                throw new UserFunctionProtocolException("it sent a compressed message, which the proxy did not ask for");
            // Read as unsigned: a length with the top bit set is over any limit, never a negative size.
            var length = BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(1));
            if (length > maxMessageSize)
                throw new UserFunctionProtocolException($"it sent a message of {length} bytes, over the limit of {maxMessageSize}");
            if (!await ReadExactlyOrEndAsync(body, (int)length, cancellationToken).ConfigureAwait(false))
                throw new RpcException(new Status(StatusCode.Unavailable, "The user function's stream ended inside a message."));
            return Parse((int)length);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
        {
            throw await FailureAsync(e).ConfigureAwait(false);
        }
    }

    private EventSourcedStreamOut Parse(int length)
    {
        try
        {
            // Parsing copies every bytes field out of the frame, so the buffer can be reused or dropped at once.
            return EventSourcedStreamOut.Parser.ParseFrom(frame, 0, length);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new UserFunctionProtocolException($"it sent {length} bytes that are not a valid {EventSourcedStreamOut.Descriptor.FullName}");
        }
        finally
        {
            if (frame.Length > RetainedFrame)
                frame = new byte[SmallFrame];
        }
    }

    /// <summary>Room for <paramref name="size"/> more bytes of pending messages, renting a larger buffer when needed.</summary>
    private Span<byte> Reserve(int size)
    {
        if (pending is null || pending.Length - pendingLength < size)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(MinimumBuffer, Math.Max(pendingLength + size, (pending?.Length ?? 0) * 2)));
            if (pending is not null)
            {
                pending.AsSpan(0, pendingLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(pending);
            }

            pending = larger;
        }

        return pending.AsSpan(pendingLength, size);
    }

    private void Release()
    {
        if (pending is not null)
            ArrayPool<byte>.Shared.Return(pending);
        pending = null;
        pendingLength = 0;
    }

    /// <summary>
    /// Ends the call: the user function sees the end of the input and ends its side, which is waited for (briefly)
    /// so that the stream closes cleanly instead of being reset under both ends.
    /// </summary>
    public ValueTask DisposeAsync() => CloseAsync(CloseTimeout);

    /// <summary>Resets the call at once, for a user function that no longer answers or broke the protocol.</summary>
    public ValueTask AbortAsync() => CloseAsync(TimeSpan.Zero);

    private async ValueTask CloseAsync(TimeSpan wait)
    {
        content.Complete();
        if (wait > TimeSpan.Zero)
        {
            cancel.CancelAfter(wait);
            await DrainAsync().ConfigureAwait(false);
        }

        await cancel.CancelAsync().ConfigureAwait(false);
        await ((Task)response).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (response.IsCompletedSuccessfully)
            response.Result.Dispose();

        cancel.Dispose();
        Release();
    }

    /// <summary>Reads and drops what the user function still sends until it ends the stream, fails, or the close times out.</summary>
    private async Task DrainAsync()
    {
        try
        {
            var body = responseBody ??= await OpenResponseAsync(cancel.Token).ConfigureAwait(false);
            while (await body.ReadAsync(frame, cancel.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException or OperationCanceledException or RpcException)
        {
            // The call is over either way.
        }
    }

    /// <summary>The request body once HTTP/2 has opened it; the call's failure if it ended before that (no connection).</summary>
    private async Task<Stream> RequestBodyAsync(CancellationToken cancellationToken)
    {
        if (!content.Body.IsCompleted)
            await Task.WhenAny(content.Body, response).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (content.Body.IsCompleted)
            return await content.Body.ConfigureAwait(false);
        var ended = await response.ConfigureAwait(false);
        ThrowIfFailed(ended);
        throw new RpcException(new Status(StatusCode.Unavailable, "The user function ended the call before taking its input."));
    }

    private async Task<Stream> OpenResponseAsync(CancellationToken cancellationToken)
    {
        var message = await response.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (message.StatusCode != HttpStatusCode.OK)
            throw new RpcException(new Status(StatusCode.Unavailable, $"The user function answered HTTP {(int)message.StatusCode}."));
        ThrowIfFailed(message);
        return await message.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads <paramref name="count"/> bytes into the frame buffer; false at a clean end before the first byte.</summary>
    private async ValueTask<bool> ReadExactlyOrEndAsync(Stream body, int count, CancellationToken cancellationToken)
    {
        if (frame.Length < count)
            frame = new byte[Math.Max(count, frame.Length * 2)];
        var read = 0;
        while (read < count)
        {
            var n = await body.ReadAsync(frame.AsMemory(read, count - read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
                return read == 0 ? false : throw new RpcException(new Status(StatusCode.Unavailable, "The user function's stream ended inside a message."));
            read += n;
        }

        return true;
    }

    /// <summary>Throws the gRPC status the user function ended the call with, if it is not OK.</summary>
    private static void ThrowIfFailed(HttpResponseMessage message)
    {
        var status = Header(message.TrailingHeaders, "grpc-status") ?? Header(message.Headers, "grpc-status");
        if (status is null || status == "0")
            return;
        var code = int.TryParse(status, out var number) ? (StatusCode)number : StatusCode.Unknown;
        var detail = Header(message.TrailingHeaders, "grpc-message") ?? Header(message.Headers, "grpc-message") ?? "";
        throw new RpcException(new Status(code, Uri.UnescapeDataString(detail)));
    }

    private static string? Header(HttpHeaders headers, string name) => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>What a broken transport means to the caller: the status the user function ended with, or UNAVAILABLE.</summary>
    private async Task<RpcException> FailureAsync(Exception e)
    {
        if (response.IsCompletedSuccessfully)
        {
            try
            {
                ThrowIfFailed(await response.ConfigureAwait(false));
            }
            catch (RpcException status)
            {
                return status;
            }
        }

        return new RpcException(new Status(StatusCode.Unavailable, "The stream to the user function broke.", e));
    }

    /// <summary>The request body: handed to us when HTTP/2 starts sending it, kept open until the call is disposed.</summary>
    private sealed class DuplexContent : HttpContent
    {
        private readonly TaskCompletionSource<Stream> body = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DuplexContent() => Headers.ContentType = GrpcContentType;

        public Task<Stream> Body => body.Task;

        public void Complete() => completed.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            body.TrySetResult(stream);
            await completed.Task.ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
