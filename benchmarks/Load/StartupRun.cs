using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Grpc.Core;

namespace Cloudstate.Es.Load;

/// <summary>
/// How fast a proxy comes up: starts it as a child process, then every 10 ms tries its port and, once the port
/// accepts, a read of a fresh entity, until the read is answered; the user function is assumed to be running already.
/// Reports the times from the start of the process to the port accepting and to the first answered command, then stops
/// the child.
/// </summary>
internal sealed class StartupRun(EntityKind entity, string target, string label, string[] child)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    public async Task<int> RunAsync()
    {
        if (child.Length == 0)
            throw new ArgumentException("startup: give the command to start after '--', e.g. -- dotnet Cloudstate.Es.Proxy.dll --port 9000");
        var (host, port) = HostAndPort(target);
        using var command = new EntityCommand(entity, target, "grpc", 1);
        var probe = $"startup-{Guid.NewGuid():N}"[..16];
        var clock = Stopwatch.StartNew();
        using var process = ChildProcess.Start(child[0], child[1..]);
        try
        {
            await PollAsync(process, clock, () => PortAcceptsAsync(host, port));
            var portReady = clock.Elapsed;
            await PollAsync(process, clock, () => AnswersAsync(command, probe));
            var ready = clock.Elapsed;
            var stopped = await process.StopAsync(StopGrace);
            Console.WriteLine($"{string.Join(' ', child)}: port accepted after {portReady.TotalMilliseconds:F0} ms, first {entity.Name()} read answered after {ready.TotalMilliseconds:F0} ms; stopped in {stopped.TotalMilliseconds:F0} ms");
            Console.WriteLine();
            Console.WriteLine(Line("ready_ms", ready.TotalMilliseconds));
            Console.WriteLine(Line("port_ms", portReady.TotalMilliseconds));
            return 0;
        }
        catch (TimeoutException e)
        {
            await process.StopAsync(StopGrace);
            Console.Error.WriteLine($"startup: {e.Message}; the child's last lines:{Environment.NewLine}{process.Tail}");
            return 1;
        }
    }

    /// <summary>Tries <paramref name="attempt"/> every <see cref="PollInterval"/> until it succeeds, the child exits or the deadline passes.</summary>
    private static async Task PollAsync(ChildProcess process, Stopwatch clock, Func<Task<bool>> attempt)
    {
        while (!await attempt())
        {
            if (process.HasExited)
                throw new TimeoutException("the child exited before it was ready");
            if (clock.Elapsed > Deadline)
                throw new TimeoutException($"not ready after {Deadline.TotalSeconds:F0} s");
            await Task.Delay(PollInterval);
        }
    }

    private static async Task<bool> PortAcceptsAsync(string host, int port)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> AnswersAsync(EntityCommand command, string probe)
    {
        try
        {
            await command.ReadAsync(probe, DateTime.UtcNow.AddSeconds(5));
            return true;
        }
        catch (RpcException)
        {
            // The proxy listens before it has discovered the user function; until then it answers UNAVAILABLE.
            return false;
        }
    }

    private static (string Host, int Port) HostAndPort(string target)
    {
        var colon = target.LastIndexOf(':');
        return colon > 0 && int.TryParse(target[(colon + 1)..], CultureInfo.InvariantCulture, out var port)
            ? (target[..colon], port)
            : throw new ArgumentException($"--target: '{target}' is not HOST:PORT");
    }

    private string Line(string figure, double value) =>
        $"RESULT startup.{label}.{figure}={value.ToString("F1", CultureInfo.InvariantCulture)} ms";
}
