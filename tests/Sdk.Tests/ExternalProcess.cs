using System.Diagnostics;

namespace Cloudstate.Es.Sdk.Tests;

/// <summary>Runs a program of another language against the test servers and collects what it printed.</summary>
internal static class ExternalProcess
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static async Task<(int ExitCode, string Output)> RunAsync(string program, string arguments, string workingDirectory, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"Cannot start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {arguments} did not finish within {timeout}: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The folder of tests/js, with its packages installed.</summary>
    public static string JavaScriptPeers()
    {
        var folder = Path.Combine(RepositoryRoot, "tests", "js");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "cloudstate")),
            $"The JavaScript peers are not installed: run `npm ci --ignore-scripts` in {folder} (scripts/test does).");
        return folder;
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
