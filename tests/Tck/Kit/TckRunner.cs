using System.Globalization;
using Grpc.Core;

namespace Cloudstate.Es.Tck.Kit;

/// <summary>Runs cases one after the other against a target, one line per case and a summary line.</summary>
public static class TckRunner
{
    private static readonly TimeSpan CancellationGrace = TimeSpan.FromSeconds(1);

    /// <summary>Prints <c>PASS family: name</c> or <c>FAIL family: name: why</c> per case, then <c>N passed, N failed</c>.</summary>
    public static async Task<TckSummary> RunAsync(IEnumerable<TckCase> cases, TckTarget target, TimeSpan timeout, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(output);
        int passed = 0, failed = 0;
        foreach (var tckCase in cases)
        {
            if (await RunCaseAsync(tckCase, target, timeout, cancellationToken) is { } failure)
            {
                failed++;
                await output.WriteLineAsync($"FAIL {tckCase}: {failure}");
            }
            else
            {
                passed++;
                await output.WriteLineAsync($"PASS {tckCase}");
            }
        }

        await output.WriteLineAsync($"{passed} passed, {failed} failed");
        return new TckSummary(passed, failed);
    }

    /// <summary>Runs one case within <paramref name="timeout"/>: null when it passed, else why it failed, on one line.</summary>
    public static async Task<string?> RunCaseAsync(TckCase tckCase, TckTarget target, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tckCase);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // A case that heeds its token says what it was waiting for; the grace also ends one that ignores it.
            await tckCase.RunAsync(target, deadline.Token).WaitAsync(timeout + CancellationGrace, cancellationToken);
            return null;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception e)
        {
            return OneLine(Explain(e, deadline.IsCancellationRequested, timeout));
        }
    }

    private static string Explain(Exception e, bool timedOut, TimeSpan timeout) => e switch
    {
        TckFailure => e.Message,
        TimeoutException => TimedOut(timeout),
        OperationCanceledException or RpcException when timedOut => TimedOut(timeout),
        RpcException rpc => $"a call to the target failed with status {rpc.StatusCode} \"{rpc.Status.Detail}\"",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private static string TimedOut(TimeSpan timeout) => string.Create(CultureInfo.InvariantCulture, $"timed out after {timeout.TotalSeconds:0.###} s");

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>How a run went; the exit code is 0 when no case failed.</summary>
public sealed record TckSummary(int Passed, int Failed)
{
    public int ExitCode => Failed == 0 ? 0 : 1;
}
