using System.Globalization;
using Cloudstate.Es.TestModel;
using Grpc.Net.Client;
using Xunit.Abstractions;
using static Cloudstate.Es.Proxy.Tests.ModelRequests;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>The proxy process starting on a SQLite data directory it cannot use: one clear line and exit code 2.</summary>
public sealed class SqliteStoreStartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static ChildProcess StartProxy(string userFunction, int port, string data) =>
        ChildProcess.StartProxy(["--user-function", userFunction, "--port", port.ToString(CultureInfo.InvariantCulture), "--data", data]);

    [Fact]
    public async Task A_second_proxy_on_the_same_data_directory_refuses_to_start_and_the_first_serves_on()
    {
        using var data = new TemporaryDirectory();
        await using var userFunction = await ModelUserFunction.StartAsync();
        var port = ChildProcess.FreePort();
        await using var first = StartProxy(userFunction.Address, port, data.Path);
        await first.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{port}", StartTimeout);

        await using var second = StartProxy(userFunction.Address, ChildProcess.FreePort(), data.Path);
        var exitCode = await second.WaitForExitAsync(StartTimeout);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var state = (await new Model.ModelClient(channel).ProcessAsync(Of("still-served", Emit("x")))).Message;

        Assert.Equal(2, exitCode);
        output.WriteLine(AssertOneLineRefusal(second.Output, "is in use by another proxy"));
        Assert.Equal("x", state);
    }

    [Fact]
    public async Task A_data_directory_that_is_a_file_stops_the_start_with_one_line()
    {
        using var folder = new TemporaryDirectory();
        var file = Path.Combine(folder.Path, "data");
        await File.WriteAllTextAsync(file, "not a directory");

        var refusal = await RefusedStartAsync(file);

        output.WriteLine(AssertOneLineRefusal(refusal, "is a file, not a directory"));
    }

    [Fact]
    public async Task A_journal_file_that_is_not_a_database_stops_the_start_with_one_line()
    {
        using var data = new TemporaryDirectory();
        await File.WriteAllTextAsync(Path.Combine(data.Path, "journal.db"), new string('x', 4096));

        var refusal = await RefusedStartAsync(data.Path);

        output.WriteLine(AssertOneLineRefusal(refusal, "file is not a database"));
    }

    [Fact]
    public async Task A_journal_path_that_is_a_directory_stops_the_start_with_one_line()
    {
        using var data = new TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(data.Path, "journal.db"));

        var refusal = await RefusedStartAsync(data.Path);

        output.WriteLine(AssertOneLineRefusal(refusal, "cannot be opened"));
    }

    private static async Task<string> RefusedStartAsync(string data)
    {
        await using var userFunction = await ModelUserFunction.StartAsync();
        await using var proxy = StartProxy(userFunction.Address, ChildProcess.FreePort(), data);
        var exitCode = await proxy.WaitForExitAsync(StartTimeout);
        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{proxy.Output}");
        return proxy.Output;
    }

    /// <summary>The refusal is one log line naming the store and the reason, with no stack trace anywhere.</summary>
    private static string AssertOneLineRefusal(string output, string reason)
    {
        var lines = output.Split('\n');
        var refusal = Assert.Single(lines, line => line.Contains("The proxy cannot start.", StringComparison.Ordinal));
        Assert.Contains("The store 'embedded'", refusal, StringComparison.Ordinal);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        return refusal;
    }
}
