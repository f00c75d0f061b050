using System.CommandLine;
using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Proxy.Storage;

namespace Cloudstate.Es.Proxy.Tests;

public sealed class StatefulStoreCommandLineTests : IDisposable
{
    private const string Password = "s3cret-Pa55word-xyzzy";

    private readonly TemporaryFiles files = new();

    public void Dispose() => files.Dispose();

    private string PostgresFile() => files.Write("""
        apiVersion: cloudstate.io/v1alpha1
        kind: StatefulStore
        metadata: { name: carts-store }
        spec: { postgres: { host: 127.0.0.1, database: carts, credentials: { usernameEnv: PGUSER, passwordEnv: PGPASSWORD } } }
        """);

    private string InMemoryFile() => files.Write("""
        apiVersion: cloudstate.io/v1alpha1
        kind: StatefulStore
        metadata: { name: demo-store }
        spec: { inMemory: {} }
        """);

    private sealed record Outcome(int ExitCode, ProxyOptions? Options, string Error);

    private static async Task<Outcome> Run(string[] args, params (string Name, string Value)[] environment)
    {
        ProxyOptions? captured = null;
        var command = ProxyCommandLine.Create(
            (options, _) =>
            {
                captured = options;
                return Task.FromResult(0);
            },
            name => environment.FirstOrDefault(variable => variable.Name == name).Value);
        using var error = new StringWriter();

        var exitCode = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Error = error });

        return new Outcome(exitCode, captured, error.ToString());
    }

    [Fact]
    public async Task The_connection_flags_reach_the_connection_options()
    {
        var outcome = await Run(["--header-timeout", "2.5", "--idle-timeout", "30", "--max-headers-size", "16384", "--max-header-count", "20"]);

        Assert.Equal(0, outcome.ExitCode);
        var connections = outcome.Options!.Frontend.Connections;
        Assert.Equal(TimeSpan.FromSeconds(2.5), connections.HeaderTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), connections.IdleTimeout);
        Assert.Equal(16384, connections.MaxHeadersSize);
        Assert.Equal(20, connections.MaxHeaderCount);
    }

    [Fact]
    public async Task The_admin_and_log_flags_reach_their_options()
    {
        var defaults = await Run([]);
        var set = await Run(["--admin-host", "0.0.0.0", "--admin-port", "9101", "--log-format", "json", "--metrics", "false"]);

        Assert.Equal((0, "127.0.0.1", 9001, LogFormat.Text, true), (defaults.ExitCode, defaults.Options!.Admin.Host, defaults.Options.Admin.Port, defaults.Options.LogFormat, defaults.Options.Admin.Metrics));
        Assert.Equal((0, "0.0.0.0", 9101, LogFormat.Json, false), (set.ExitCode, set.Options!.Admin.Host, set.Options.Admin.Port, set.Options.LogFormat, set.Options.Admin.Metrics));
    }

    [Theory]
    [InlineData("--log-format", "yaml", "--log-format: 'yaml' is not text or json.")]
    [InlineData("--admin-port", "70000", "--admin-port: 70000 is not a TCP port.")]
    [InlineData("--admin-port", "9000", "--admin-port: 9000 is the front end's port too (--port); give each its own.")]
    [InlineData("--admin-host", "localhost", "--admin-host: 'localhost' is not an IP address (use 127.0.0.1, 0.0.0.0 or ::).")]
    public async Task A_wrong_admin_or_log_flag_is_refused_with_its_reason(string option, string value, string reason)
    {
        var outcome = await Run([option, value]);

        Assert.Equal((2, null), (outcome.ExitCode, outcome.Options));
        Assert.Equal($"cloudstate-es proxy: {reason}", outcome.Error.Trim());
    }

    [Fact]
    public async Task Without_a_store_file_the_store_is_the_embedded_sqlite_in_the_data_directory()
    {
        var outcome = await Run(["--data", "cart-data"]);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(new SqliteStoreSettings("embedded", "cart-data"), outcome.Options!.Store.Settings);
    }

    [Fact]
    public async Task The_store_option_loads_the_file_with_credentials_from_the_environment()
    {
        var outcome = await Run(["--store", PostgresFile()], ("PGUSER", "carts"), ("PGPASSWORD", Password));

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(new PostgresStoreSettings("carts-store", "127.0.0.1", 5432, "carts", "public", "carts", Password), outcome.Options!.Store.Settings);
    }

    [Fact]
    public async Task Cloudstate_store_in_the_environment_names_the_file()
    {
        var outcome = await Run([], ("CLOUDSTATE_STORE", InMemoryFile()));

        Assert.Equal(new InMemoryStoreSettings("demo-store"), outcome.Options!.Store.Settings);
    }

    [Fact]
    public async Task The_store_option_wins_over_the_environment()
    {
        var outcome = await Run(["--store", InMemoryFile()], ("CLOUDSTATE_STORE", Path.Combine(Path.GetTempPath(), "no-such-store.yaml")));

        Assert.IsType<InMemoryStoreSettings>(outcome.Options!.Store.Settings);
    }

    [Fact]
    public async Task A_bad_store_file_exits_with_2_and_one_line_naming_the_field()
    {
        var path = PostgresFile();

        var outcome = await Run(["--store", path], ("PGUSER", "carts"));

        Assert.Equal(2, outcome.ExitCode);
        Assert.Null(outcome.Options);
        Assert.Equal(
            $"cloudstate-es proxy: --store: {path}: spec.postgres.credentials.passwordEnv: environment variable PGPASSWORD is not set (line 4).",
            outcome.Error.TrimEnd());
    }

    [Fact]
    public async Task A_missing_store_file_exits_with_2()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cloudstate-es-{Guid.NewGuid():N}.yaml");

        var outcome = await Run([], ("CLOUDSTATE_STORE", path));

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal($"cloudstate-es proxy: --store: {path}: no such file.", outcome.Error.TrimEnd());
    }
}
