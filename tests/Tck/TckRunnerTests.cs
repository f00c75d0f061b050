using Cloudstate.Es.Tck.Kit;
using Cloudstate.Es.Tck.Model;

namespace Cloudstate.Es.Tck;

public sealed class TckRunnerTests
{
    private static readonly TckTarget Nowhere = new() { UserFunction = "127.0.0.1:1" };

    [Fact]
    public async Task A_run_prints_a_line_per_case_and_the_summary_and_fails_when_a_case_fails()
    {
        TckCase[] cases =
        [
            new("model", "passes", (_, _) => Task.CompletedTask),
            new("model", "fails", (_, _) => throw new TckFailure("expected reply for command 2 with state \"AB\", got failure \"no\"")),
            new("model", "throws", (_, _) => throw new InvalidOperationException("broken\non two lines")),
            new("model", "waits for its token", (_, token) => Task.Delay(Timeout.Infinite, token)),
            new("model", "ignores its token", (_, _) => Task.Delay(Timeout.Infinite, CancellationToken.None)),
        ];
        using var output = new StringWriter();

        var summary = await TckRunner.RunAsync(cases, Nowhere, TimeSpan.FromMilliseconds(200), output);

        Assert.Equal(
            [
                "PASS model: passes",
                "FAIL model: fails: expected reply for command 2 with state \"AB\", got failure \"no\"",
                "FAIL model: throws: InvalidOperationException: broken on two lines",
                "FAIL model: waits for its token: timed out after 0.2 s",
                "FAIL model: ignores its token: timed out after 0.2 s",
                "1 passed, 4 failed",
            ],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(new TckSummary(1, 4), summary);
        Assert.Equal(1, summary.ExitCode);
    }

    [Fact]
    public async Task The_command_line_runs_the_model_family_against_a_user_function_and_exits_0()
    {
        await using var userFunction = await TckModelUserFunction.StartAsync();
        using var output = new StringWriter();

        var exitCode = await TckCommandLine.Create().Parse(["--user-function", userFunction.Address])
            .InvokeAsync(new() { Output = output, Error = output });

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exitCode == 0, output.ToString());
        Assert.Equal("No --proxy given: only the model family runs.", lines[0]);
        Assert.Equal($"{TckCases.Model.Count} passed, 0 failed", lines[^1]);
        Assert.Equal(TckCases.Model.Count, lines.Count(l => l.StartsWith("PASS model: ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("--family proxy needs --proxy HOST:PORT.", "--user-function", "127.0.0.1:1", "--family", "proxy")]
    [InlineData("--user-function: 'localhost' is not HOST:PORT.", "--user-function", "localhost")]
    [InlineData("--timeout: 0 is not a positive number of seconds.", "--user-function", "127.0.0.1:1", "--timeout", "0")]
    public async Task The_command_line_refuses_bad_options_with_exit_code_2(string message, params string[] args)
    {
        using var output = new StringWriter();

        var exitCode = await TckCommandLine.Create().Parse(args).InvokeAsync(new() { Output = output, Error = output });

        Assert.Equal(2, exitCode);
        Assert.Equal($"cloudstate-es tck: {message}", output.ToString().Trim());
    }
}
