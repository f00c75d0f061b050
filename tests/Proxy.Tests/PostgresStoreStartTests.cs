using System.Globalization;
using Cloudstate.Es.Postgres.Testing;
using Cloudstate.Es.TestModel;
using Npgsql;
using Xunit.Abstractions;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>The proxy process starting on a PostgreSQL server that answers with an error: it stops, it does not wait.</summary>
public sealed class PostgresStoreStartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_server_error_other_than_a_connection_failure_stops_the_start_with_the_servers_message()
    {
        await using var server = await PrivateServer.StartAsync();
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var readOnly = new NpgsqlCommand("ALTER DATABASE postgres SET default_transaction_read_only = on", admin);
            await readOnly.ExecuteNonQueryAsync();
        }

        await using var userFunction = await ModelUserFunction.StartAsync();
        using var folder = new TemporaryDirectory();
        var store = Path.Combine(folder.Path, "store.yaml");
        await File.WriteAllTextAsync(store, $"""
            apiVersion: cloudstate.io/v1alpha1
            kind: StatefulStore
            metadata: {"{"} name: read-only-store {"}"}
            spec:
              postgres:
                host: 127.0.0.1
                port: {server.Port}
                database: postgres
                credentials: {"{"} usernameEnv: TEST_PGUSER, passwordEnv: TEST_PGPASSWORD {"}"}
            """);
        await using var proxy = ChildProcess.StartProxy(
            ["--user-function", userFunction.Address, "--port", ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture), "--store", store],
            new Dictionary<string, string> { ["TEST_PGUSER"] = "cloudstate", ["TEST_PGPASSWORD"] = server.Password });

        var exitCode = await proxy.WaitForExitAsync(StartTimeout);

        Assert.Equal(2, exitCode);
        var refusal = Assert.Single(proxy.Output.Split('\n'), line => line.Contains("The proxy cannot start.", StringComparison.Ordinal));
        output.WriteLine(refusal);
        Assert.Contains("The store 'read-only-store'", refusal, StringComparison.Ordinal);
        Assert.Contains("read-only transaction (25006)", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("is unreachable", proxy.Output, StringComparison.Ordinal);
    }
}
