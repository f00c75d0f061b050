using Cloudstate.Es.Postgres.Testing;
using Npgsql;

namespace Cloudstate.Es.Proxy.Tests.Cluster;

/// <summary>A StatefulStore file naming the test PostgreSQL (or another address for it), with the credentials in the environment it names.</summary>
internal static class SharedStore
{
    public static (string Path, Dictionary<string, string> Environment) Write(TemporaryDirectory folder, string schema, int? port = null, string? host = null)
    {
        var database = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString);
        var path = System.IO.Path.Combine(folder.Path, "store.yaml");
        File.WriteAllText(path, $"""
            apiVersion: cloudstate.io/v1alpha1
            kind: StatefulStore
            metadata: {"{"} name: shared {"}"}
            spec:
              postgres:
                host: {host ?? database.Host}
                port: {port ?? database.Port}
                database: {database.Database}
                schema: {schema}
                credentials: {"{"} usernameEnv: TEST_PGUSER, passwordEnv: TEST_PGPASSWORD {"}"}
            """);
        return (path, new Dictionary<string, string> { ["TEST_PGUSER"] = database.Username!, ["TEST_PGPASSWORD"] = database.Password! });
    }
}
