using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Cloudstate.Es.Journal.EventStoreDb.Tests;

/// <summary>
/// A TCP relay in front of a node that reads the HTTP/2 frames the node sends back. Once armed, the first DATA frame the
/// node sends (the answer to a request it has handled) is not passed on: the client's connection is closed instead, as
/// when a network drops between a store's commit and its answer. Later connections are relayed whole.
/// </summary>
internal sealed class AnswerCuttingRelay : IAsyncDisposable
{
    private const int FrameHeader = 9;
    private const byte Data = 0;
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int target;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private int armed;
    private int cuts;

    public AnswerCuttingRelay(int targetPort)
    {
        target = targetPort;
        listener.Start();
        accepting = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

    /// <summary>How many connections were cut.</summary>
    public int Cuts => Volatile.Read(ref cuts);

    /// <summary>Cuts the connection that carries the node's next DATA frame.</summary>
    public void CutAtNextAnswer() => Volatile.Write(ref armed, 1);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var node = new TcpClient())
        {
            try
            {
                await node.ConnectAsync(IPAddress.Loopback, target, stop.Token);
                var toNode = client.GetStream().CopyToAsync(node.GetStream(), stop.Token);
                var toClient = FramesToClientAsync(node.GetStream(), client.GetStream());
                await Task.WhenAny(toNode, toClient);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // One side went away: both are closed.
            }
        }
    }

    /// <summary>Passes the node's frames on one by one, until a DATA frame comes while armed.</summary>
    private async Task FramesToClientAsync(Stream node, Stream client)
    {
        var header = new byte[FrameHeader];
        var payload = new byte[16 * 1024];
        while (true)
        {
            await node.ReadExactlyAsync(header, stop.Token);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var streamId = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue;
            if (payload.Length < length)
                payload = new byte[length];
            await node.ReadExactlyAsync(payload.AsMemory(0, length), stop.Token);
            if (header[3] == Data && streamId != 0 && Interlocked.Exchange(ref armed, 0) == 1)
            {
                Interlocked.Increment(ref cuts);
                return;
            }

            await client.WriteAsync(header, stop.Token);
            await client.WriteAsync(payload.AsMemory(0, length), stop.Token);
        }
    }
}
