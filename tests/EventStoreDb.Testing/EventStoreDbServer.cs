using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cloudstate.Es.EventStoreDb.Testing;

/// <summary>
/// One EventStoreDB 23.10 node for tests, insecure on a free loopback port, started with <c>../shared/eventstoredb/start</c>
/// (found beside the repository, or at <c>EVENTSTOREDB_START</c>). On disk it may be stopped and started again with its
/// data; disposing stops it and deletes its folder.
/// </summary>
public sealed class EventStoreDbServer : IAsyncDisposable
{
    private readonly string start;
    private readonly string directory;
    private readonly bool onDisk;
    private int pid;

    private EventStoreDbServer(string start, string directory, int port, bool onDisk)
    {
        this.start = start;
        this.directory = directory;
        this.onDisk = onDisk;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The node's gRPC address.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts a node, in memory unless <paramref name="onDisk"/> (then its data outlives a stop).</summary>
    public static async Task<EventStoreDbServer> StartAsync(bool onDisk = false)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"cloudstate-esdb-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var server = new EventStoreDbServer(FindStart(), directory, FreePort(), onDisk);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the node (again, on the same port and data), waiting until it is healthy.</summary>
    public async Task StartAgainAsync()
    {
        string[] storage = onDisk ? ["--db", Path.Combine(directory, "db")] : ["--mem"];
        var output = await RunAsync(start, ["--http-port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. storage, "--log", Path.Combine(directory, "log"), "--wait", "90"]);
        pid = int.Parse(output.Trim().Split('\n')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Stops the node: SIGTERM (it shuts down in about 3 s), or SIGKILL when <paramref name="kill"/>.</summary>
    public async Task StopAsync(bool kill = false)
    {
        if (pid == 0)
            return;
        Process process;
        try
        {
            process = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            pid = 0;
            return;
        }

        using (process)
        {
            if (kill)
                process.Kill(entireProcessTree: true);
            else
                await RunAsync("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        pid = 0;
    }

    /// <summary>The node's log so far, for failure messages.</summary>
    public string Log()
    {
        var console = Path.Combine(directory, "log", "console.out");
        return File.Exists(console) ? string.Join('\n', File.ReadLines(console).TakeLast(30)) : "";
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(kill: true);
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process: the temporary folder is cleaned up with the machine.
        }
    }

    private static string FindStart()
    {
        if (Environment.GetEnvironmentVariable("EVENTSTOREDB_START") is { Length: > 0 } given)
            return given;
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "shared", "eventstoredb", "start");
            if (File.Exists(candidate))
                return candidate;
        }

        throw new InvalidOperationException("No EventStoreDB to start: ../shared/eventstoredb/start is not beside the repository, and EVENTSTOREDB_START is not set.");
    }

    private static async Task<string> RunAsync(string program, string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        return await output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
