using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Proxy.Http;

/// <summary>
/// gRPC and HTTP/1.1 on one cleartext port, which Kestrel cannot do by itself (a cleartext endpoint speaks HTTP/2 only
/// with prior knowledge, and then no HTTP/1.1). The port is an HTTP/2 endpoint; a connection that does not open with
/// the HTTP/2 preface is spliced, byte for byte, to an HTTP/1.1 endpoint on a private Unix socket. gRPC connections
/// pay one look at their first bytes; HTTP/1.1 connections pay the splice.
/// </summary>
internal static partial class SharedPort
{
    private static readonly byte[] Http2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>The connection middleware for the shared port; <paramref name="http1Socket"/> is the HTTP/1.1 endpoint. A
    /// connection that has not shown which protocol it speaks within <paramref name="openingTimeout"/> is closed: Kestrel's
    /// own timeouts start only once a protocol has it.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> SpliceHttp1To(string http1Socket, TimeSpan openingTimeout, ILogger logger) => next => async connection =>
    {
        Opening opening;
        using (var sniffing = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            sniffing.CancelAfter(openingTimeout);
            opening = await SniffAsync(connection.Transport.Input, sniffing.Token).ConfigureAwait(false);
        }

        switch (opening)
        {
            case Opening.Http2:
                await next(connection).ConfigureAwait(false);
                break;
            case Opening.Http1:
                await SpliceAsync(connection, http1Socket).ConfigureAwait(false);
                break;
            default:
                // Returning closes the connection.
                if (!connection.ConnectionClosed.IsCancellationRequested)
                    LogSilentConnectionClosed(logger, connection.RemoteEndPoint?.ToString(), openingTimeout.TotalSeconds);
                break;
        }
    };

    private enum Opening
    {
        None,
        Http1,
        Http2,
    }

    /// <summary>Looks at the first bytes without taking them: the endpoint behind reads them again.</summary>
    private static async Task<Opening> SniffAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return Opening.None;
            }

            var buffer = read.Buffer;
            var length = (int)Math.Min(buffer.Length, Http2Preface.Length);
            var matches = StartsLikePreface(buffer.Slice(0, length));
            if (!matches || length == Http2Preface.Length)
            {
                input.AdvanceTo(buffer.Start);
                return matches ? Opening.Http2 : Opening.Http1;
            }

            if (read.IsCompleted)
            {
                // The client closed its side before it said anything usable.
                input.AdvanceTo(buffer.Start);
                return Opening.None;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>True when <paramref name="start"/> (at most the preface's length) is the beginning of the preface.</summary>
    private static bool StartsLikePreface(ReadOnlySequence<byte> start)
    {
        Span<byte> bytes = stackalloc byte[Http2Preface.Length];
        start.CopyTo(bytes);
        return bytes[..(int)start.Length].SequenceEqual(Http2Preface.AsSpan(0, (int)start.Length));
    }

    private static async Task SpliceAsync(ConnectionContext connection, string http1Socket)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(http1Socket), connection.ConnectionClosed).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        var toServer = CopyUpAsync(connection.Transport.Input, stream, socket, stop.Token);
        var toClient = CopyDownAsync(stream, connection.Transport.Output, stop.Token);
        // The HTTP/1.1 endpoint closing its side ends the connection; the client closing its side is passed on.
        await toClient.ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await toServer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static async Task CopyUpAsync(PipeReader input, NetworkStream stream, Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            await input.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The other direction ended the connection.
        }
    }

    private static async Task CopyDownAsync(NetworkStream stream, PipeWriter output, CancellationToken cancellationToken)
    {
        try
        {
            await stream.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // The client went away.
        }

        await output.CompleteAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closed the connection from {Client}: in {Seconds} s it did not show whether it speaks HTTP/2 or HTTP/1.1")]
    private static partial void LogSilentConnectionClosed(ILogger logger, string? client, double seconds);
}
