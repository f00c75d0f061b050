using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Cloudstate.Es.Load;

/// <summary>
/// A command run as a child process with its output kept (the last lines, to show when it fails) instead of mixed
/// into ours, and stopped the way a supervisor stops it: SIGTERM, then SIGKILL when it does not exit in time.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int TailLines = 30;
    private const int SigTerm = 15;
    private readonly Process process;
    private readonly Queue<string> tail = new();

    private ChildProcess(Process process) => this.process = process;

    public bool HasExited => process.HasExited;

    /// <summary>The last lines the child wrote, stdout and stderr interleaved.</summary>
    public string Tail
    {
        get
        {
            lock (tail)
                return string.Join(Environment.NewLine, tail);
        }
    }

    public static ChildProcess Start(string command, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, line) => child.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => child.Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Sends SIGTERM and waits up to <paramref name="grace"/> for the exit, then kills; returns how long the exit took.</summary>
    public async Task<TimeSpan> StopAsync(TimeSpan grace)
    {
        var clock = Stopwatch.StartNew();
        if (process.HasExited)
            return TimeSpan.Zero;
        _ = Kill(process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return clock.Elapsed;
    }

    public void Dispose() => process.Dispose();

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (tail)
        {
            tail.Enqueue(line);
            if (tail.Count > TailLines)
                tail.Dequeue();
        }
    }

    // .NET has no API to send a signal other than SIGKILL; a blittable DllImport needs no unsafe code (LibraryImport does).
    [DllImport("libc", EntryPoint = "kill")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
