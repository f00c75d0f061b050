using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cloudstate.Es.TestModel;

/// <summary>A program the tests run as a real process (a proxy, a JavaScript peer), with its output kept for failure messages.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ChildProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The repository's root folder, found from the test assembly's location.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The build configuration the tests were built in (Debug or Release).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static ChildProcess Start(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {program}."));
    }

    /// <summary>
    /// Starts the proxy as built alongside the tests (<c>dotnet Cloudstate.Es.Proxy.dll</c>) with <paramref name="arguments"/>;
    /// its admin port on a free port unless they name one, so that proxies started side by side do not all ask for 9001.
    /// </summary>
    public static ChildProcess StartProxy(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) => Start(
        "dotnet",
        [Path.Combine(RepositoryRoot, "src", "Proxy", "bin", Configuration, "net10.0", "Cloudstate.Es.Proxy.dll"), .. WithAdminPort(arguments)],
        RepositoryRoot,
        environment);

    /// <summary><paramref name="arguments"/> with <c>--admin-port 0</c> (a free port) unless they set the admin port.</summary>
    public static IReadOnlyList<string> WithAdminPort(IEnumerable<string> arguments)
    {
        var list = arguments.ToList();
        return list.Contains("--admin-port") ? list : [.. list, "--admin-port", "0"];
    }

    /// <summary>Runs a program to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        await using var child = Start(program, arguments, workingDirectory);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await child.process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{program} did not finish within {timeout}:\n{child.Output}");
        }

        return (child.process.ExitCode, child.Output);
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The process did not end within {timeout}:\n{Output}");
        }

        return process.ExitCode;
    }

    /// <summary>Waits until the process prints a line containing <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The process never printed '{text}' (exited: {process.HasExited}):\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Asks the process to stop, as <c>kill -TERM</c> does; <see cref="WaitForExitAsync"/> waits for it.</summary>
    public void Terminate()
    {
        if (!process.HasExited && Kill(process.Id, 15) != 0)
            throw new InvalidOperationException($"kill -TERM {process.Id} failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Ends the process at once, as SIGKILL does.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    /// <summary>A loopback TCP port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The folder of tests/js, with its packages installed.</summary>
    public static string JavaScriptPeers()
    {
        var folder = Path.Combine(RepositoryRoot, "tests", "js");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "cloudstate")) || !File.Exists(Path.Combine(folder, "shopping-cart", "user-function.desc")))
        {
            throw new InvalidOperationException($"The JavaScript peers are not set up: run `npm ci --ignore-scripts && ./setup` in {folder} (scripts/test does).");
        }

        return folder;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cloudstate.Es.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Cloudstate.Es.sln above {AppContext.BaseDirectory}.");
    }
}
