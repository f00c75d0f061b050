using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Cloudstate.Es.Proxy.Tests.Connections;

/// <summary>A plain TCP connection to the proxy's port, to send exactly the bytes (or the silence) a hostile client would.</summary>
internal sealed class RawConnection : IDisposable
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly MemoryStream received = new();
    private readonly TaskCompletionSource<TimeSpan> closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RawConnection()
    {
    }

    /// <summary>Time since the connection was opened.</summary>
    public Stopwatch Age { get; } = new();

    /// <summary>Everything the proxy has sent so far, as Latin-1 text.</summary>
    public string Received
    {
        get
        {
            lock (received)
            {
                return Encoding.Latin1.GetString(received.GetBuffer(), 0, (int)received.Length);
            }
        }
    }

    /// <summary>Bytes this side managed to send before the proxy closed the connection.</summary>
    public long Sent { get; private set; }

    public static async Task<RawConnection> OpenAsync(Uri proxy)
    {
        var connection = new RawConnection();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await connection.socket.ConnectAsync(proxy.Host, proxy.Port, timeout.Token);
        connection.Age.Start();
        _ = connection.ReadUntilClosedAsync();
        return connection;
    }

    /// <summary>Sends <paramref name="text"/> (Latin-1); false when the proxy has already closed the connection.</summary>
    public Task<bool> SendAsync(string text, CancellationToken cancellationToken = default) => SendAsync(Encoding.Latin1.GetBytes(text), cancellationToken);

    public async Task<bool> SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
                Sent += sent;
                bytes = bytes[sent..];
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends filler body bytes, as HTTP/1.1 chunks when <paramref name="chunked"/>, until <paramref name="total"/> bytes
    /// are sent, the proxy closes the connection, or the connection is <paramref name="until"/> old.
    /// </summary>
    public async Task PumpAsync(long total, bool chunked, TimeSpan until)
    {
        var chunk = new byte[64 * 1024];
        chunk.AsSpan().Fill((byte)'x');
        var frame = Encoding.Latin1.GetBytes($"{chunk.Length:X}\r\n").Concat(chunk).Concat("\r\n"u8.ToArray()).ToArray();
        using var stop = new CancellationTokenSource(until > Age.Elapsed ? until - Age.Elapsed : TimeSpan.Zero);
        try
        {
            for (var sent = 0L; sent < total && !closed.Task.IsCompleted;)
            {
                var next = chunked ? frame : chunk.AsMemory(0, (int)Math.Min(chunk.Length, total - sent));
                if (!await SendAsync(next, stop.Token))
                    return;
                sent += next.Length;
            }
        }
        catch (OperationCanceledException)
        {
            // The proxy neither read on nor hung up: the caller's assertions say so.
        }
    }

    /// <summary>The connection's age when the proxy closed it (end of stream or reset), or null when it is still open at
    /// <paramref name="deadline"/> (measured from the opening).</summary>
    public async Task<TimeSpan?> WaitForCloseAsync(TimeSpan deadline)
    {
        var left = deadline - Age.Elapsed;
        if (left > TimeSpan.Zero)
            await Task.WhenAny(closed.Task, Task.Delay(left));
        return closed.Task.IsCompleted ? closed.Task.Result : null;
    }

    /// <summary>The connection's age when what the proxy has sent satisfies <paramref name="done"/>, or null when it does
    /// not by the deadline (measured from the opening) or the connection closes first.</summary>
    public async Task<TimeSpan?> WaitForAsync(Func<string, bool> done, TimeSpan deadline)
    {
        while (!done(Received))
        {
            if (closed.Task.IsCompleted || Age.Elapsed > deadline)
                return done(Received) ? Age.Elapsed : null;
            await Task.WhenAny(closed.Task, Task.Delay(10));
        }

        return Age.Elapsed;
    }

    private async Task ReadUntilClosedAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                    break;
                lock (received)
                {
                    received.Write(buffer, 0, read);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A reset closes the connection as well as an end of stream does.
        }

        closed.TrySetResult(Age.Elapsed);
    }

    public void Dispose()
    {
        socket.Dispose();
        received.Dispose();
    }
}
