using System.Data.Common;
using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Proxy.Storage;

namespace Cloudstate.Es.Proxy.Tests;

public sealed class StatefulStoreFileTests : IDisposable
{
    private const string Password = "s3cret-Pa55word-xyzzy";

    private const string Header = "apiVersion: cloudstate.io/v1alpha1\nkind: StatefulStore\nmetadata: { name: carts-store }\n";

    private const string Credentials = "credentials: { usernameEnv: PGUSER, passwordEnv: PGPASSWORD }";

    private readonly TemporaryFiles files = new();

    public void Dispose() => files.Dispose();

    private static string? Environment(string name) => name switch
    {
        "PGUSER" => "carts",
        "PGPASSWORD" => Password,
        _ => null,
    };

    private StoreSettings Load(string text, string extension = ".yaml") => StatefulStoreFile.Load(files.Write(text, extension), Environment);

    private (string Path, ArgumentException Error) Refuse(string text, Func<string, string?>? environment = null)
    {
        var path = files.Write(text);
        var error = Assert.Throws<ArgumentException>(() => StatefulStoreFile.Load(path, environment ?? Environment));
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        return (path, error);
    }

    [Fact]
    public void A_postgres_store_loads_with_its_credentials_from_the_environment()
    {
        var store = Load(Header + """
            spec:
              postgres:
                host: db.internal
                port: 6543
                database: carts
                schema: cart_events
                credentials:
                  usernameEnv: PGUSER
                  passwordEnv: PGPASSWORD
            """);

        Assert.Equal(new PostgresStoreSettings("carts-store", "db.internal", 6543, "carts", "cart_events", "carts", Password), store);
    }

    [Fact]
    public void An_eventstoredb_store_loads_with_or_without_credentials_and_defaults_to_port_2113_without_tls()
    {
        var secured = Load(Header + "spec: { eventStoreDb: { host: esdb.internal, port: 2114, tls: true, credentials: { usernameEnv: PGUSER, passwordEnv: PGPASSWORD } } }");
        var insecure = Assert.IsType<EventStoreDbStoreSettings>(Load(Header + "spec: { eventStoreDb: { host: 127.0.0.1 } }"));

        Assert.Equal(new EventStoreDbStoreSettings("carts-store", "esdb.internal", 2114, true, "carts", Password), secured);
        Assert.Equal(new Uri("https://esdb.internal:2114"), ((EventStoreDbStoreSettings)secured).Address);
        Assert.DoesNotContain(Password, secured.ToString(), StringComparison.Ordinal);
        Assert.Equal((2113, false, (string?)null), (insecure.Port, insecure.Tls, insecure.Username));
    }

    [Fact]
    public void A_postgres_store_defaults_to_port_5432_and_schema_public()
    {
        var store = Assert.IsType<PostgresStoreSettings>(Load(Header + $"spec: {{ postgres: {{ host: 127.0.0.1, database: carts, {Credentials} }} }}"));

        Assert.Equal(5432, store.Port);
        Assert.Equal("public", store.Schema);
    }

    [Fact]
    public void A_sqlite_store_loads_with_its_directory()
    {
        Assert.Equal(new SqliteStoreSettings("carts-store", "./data"), Load(Header + "spec:\n  sqlite:\n    path: ./data\n"));
    }

    [Theory]
    [InlineData("spec: { inMemory: {} }")]
    [InlineData("spec:\n  inMemory:\n")]
    public void An_in_memory_store_loads(string spec)
    {
        Assert.Equal(new InMemoryStoreSettings("carts-store"), Load(Header + spec));
    }

    [Theory]
    [InlineData("""{ "postgres": { "host": "127.0.0.1", "port": 5432, "database": "carts", "credentials": { "usernameEnv": "PGUSER", "passwordEnv": "PGPASSWORD" } } }""", typeof(PostgresStoreSettings))]
    [InlineData("""{ "sqlite": { "path": "./data" } }""", typeof(SqliteStoreSettings))]
    [InlineData("""{ "inMemory": {} }""", typeof(InMemoryStoreSettings))]
    public void The_json_form_loads(string spec, Type kind)
    {
        var json = $$"""{ "apiVersion": "cloudstate.io/v1alpha1", "kind": "StatefulStore", "metadata": { "name": "carts-store" }, "spec": {{spec}} }""";

        var store = Load(json, ".json");

        Assert.IsType(kind, store);
        Assert.Equal("carts-store", store.Name);
    }

    [Theory]
    [InlineData("postgres-store.yaml", typeof(PostgresStoreSettings))]
    [InlineData("sqlite-store.yaml", typeof(SqliteStoreSettings))]
    public void The_sample_files_load(string file, Type kind)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Directory.Packages.props")))
        {
            root = root.Parent ?? throw new InvalidOperationException($"No repository root above {AppContext.BaseDirectory}.");
        }

        var store = StatefulStoreFile.Load(Path.Combine(root.FullName, "samples", "ShoppingCart", file), Environment);

        Assert.IsType(kind, store);
    }

    [Theory]
    [InlineData("spec: { postgres: { host: h, port: abc, database: d, CREDS } }", "spec.postgres.port: 'abc' is not a TCP port")]
    [InlineData("spec: { postgres: { host: h, port: 70000, database: d, CREDS } }", "spec.postgres.port: '70000' is not a TCP port")]
    [InlineData("spec: { postgres: { host: h, database: d, schema: Carts, CREDS } }", "spec.postgres.schema: 'Carts' is not a schema name")]
    [InlineData("spec: { postgres: { hots: h, database: d, CREDS } }", "spec.postgres.hots: unknown field (known: host, port, database, schema, credentials)")]
    [InlineData("spec: { postgres: { database: d, CREDS } }", "spec.postgres.host: missing")]
    [InlineData("spec: { postgres: { host: '', database: d, CREDS } }", "spec.postgres.host: is empty")]
    [InlineData("spec: { postgres: { host: [a, b], database: d, CREDS } }", "spec.postgres.host: expected a value, found a list")]
    [InlineData("spec: { postgres: { host: h, CREDS } }", "spec.postgres.database: missing")]
    [InlineData("spec: { postgres: { host: h, database: d } }", "spec.postgres.credentials: missing")]
    [InlineData("spec: { postgres: { host: h, database: d, credentials: { passwordEnv: PGPASSWORD } } }", "spec.postgres.credentials.usernameEnv: missing")]
    [InlineData("spec: { postgres: { host: h, database: d, credentials: { usernameEnv: PGUSER } } }", "spec.postgres.credentials.passwordEnv: missing")]
    [InlineData("spec: { postgres: { host: h, database: d, credentials: { usernameEnv: PGUSER, passwordEnv: PGPASSWORD, password: x } } }", "spec.postgres.credentials.password: unknown field (known: usernameEnv, passwordEnv)")]
    [InlineData("spec: { postgres: { host: h, database: d, credentials: { usernameEnv: NOUSER, passwordEnv: PGPASSWORD } } }", "spec.postgres.credentials.usernameEnv: environment variable NOUSER is not set")]
    [InlineData("spec: { postgres: { host: h, database: d, credentials: { usernameEnv: PGUSER, passwordEnv: NOPASSWORD } } }", "spec.postgres.credentials.passwordEnv: environment variable NOPASSWORD is not set")]
    [InlineData("spec: { postgres: a-string }", "spec.postgres: expected a mapping, found 'a-string'")]
    [InlineData("spec: { eventStoreDb: { port: 2113 } }", "spec.eventStoreDb.host: missing")]
    [InlineData("spec: { eventStoreDb: { host: 'bad host' } }", "spec.eventStoreDb.host: 'bad host' is not a host name or address")]
    [InlineData("spec: { eventStoreDb: { host: h, port: 0 } }", "spec.eventStoreDb.port: '0' is not a TCP port")]
    [InlineData("spec: { eventStoreDb: { host: h, tls: yes } }", "spec.eventStoreDb.tls: 'yes' is not true or false")]
    [InlineData("spec: { eventStoreDb: { host: h, database: d } }", "spec.eventStoreDb.database: unknown field (known: host, port, tls, credentials)")]
    [InlineData("spec: { eventStoreDb: { host: h, credentials: { usernameEnv: PGUSER } } }", "spec.eventStoreDb.credentials.passwordEnv: missing")]
    [InlineData("spec: { eventStoreDb: { host: h, credentials: { usernameEnv: PGUSER, passwordEnv: NOPASSWORD } } }", "spec.eventStoreDb.credentials.passwordEnv: environment variable NOPASSWORD is not set")]
    [InlineData("spec: { sqlite: {} }", "spec.sqlite.path: missing")]
    [InlineData("spec: { sqlite: { path: ./data, journal: j.db } }", "spec.sqlite.journal: unknown field (known: path)")]
    [InlineData("spec: { inMemory: { size: 1 } }", "spec.inMemory.size: unknown field (this section takes no fields)")]
    [InlineData("spec: { sqlite: { path: ./data }, inMemory: {} }", "spec: give exactly one of postgres, eventStoreDb, sqlite, inMemory (found sqlite, inMemory)")]
    [InlineData("spec: {}", "spec: give exactly one of postgres, eventStoreDb, sqlite, inMemory (found none)")]
    [InlineData("spec: { cassandra: {} }", "spec.cassandra: unknown field (known: postgres, eventStoreDb, sqlite, inMemory)")]
    [InlineData("status: {}", "status: unknown field (known: apiVersion, kind, metadata, spec)")]
    [InlineData("", "spec: missing")]
    public void A_spec_error_names_its_field(string spec, string expected)
    {
        var (path, error) = Refuse(Header + spec.Replace("CREDS", Credentials, StringComparison.Ordinal));

        Assert.StartsWith($"--store: {path}: {expected}", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"\(line \d+\)\.$", error.Message);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: StatefulStore", "apiVersion: expected cloudstate.io/v1alpha1, found 'v1'")]
    [InlineData("kind: StatefulStore", "apiVersion: missing")]
    [InlineData("apiVersion: cloudstate.io/v1alpha1\nkind: Deployment", "kind: expected StatefulStore, found 'Deployment'")]
    [InlineData("apiVersion: cloudstate.io/v1alpha1\nkind: StatefulStore", "metadata: missing")]
    [InlineData("apiVersion: cloudstate.io/v1alpha1\nkind: StatefulStore\nmetadata: { labels: {} }", "metadata.name: missing")]
    [InlineData("apiVersion: cloudstate.io/v1alpha1\nkind: StatefulStore\nmetadata: { nmae: x }", "metadata.nmae: unknown field (known: name, namespace, labels, annotations)")]
    public void A_header_error_names_its_field(string header, string expected)
    {
        var (path, error) = Refuse(header + "\nspec: { inMemory: {} }\n");

        Assert.StartsWith($"--store: {path}: {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_gives_the_line_of_the_offending_value()
    {
        var (_, error) = Refuse(Header + $"spec:\n  postgres:\n    host: h\n    port: abc\n    database: d\n    {Credentials}\n");

        Assert.EndsWith("spec.postgres.port: 'abc' is not a TCP port (line 7).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cloudstate-es-{Guid.NewGuid():N}.yaml");

        var error = Assert.Throws<ArgumentException>(() => StatefulStoreFile.Load(path, Environment));

        Assert.Equal($"--store: {path}: no such file.", error.Message);
    }

    [Theory]
    [InlineData("apiVersion: [unclosed\nkind: StatefulStore\n", "not valid YAML at line ")]
    [InlineData("kind: StatefulStore\nkind: StatefulStore\n", "not valid YAML at line 2")]
    [InlineData("  kind: a\n bad: indentation\n", "not valid YAML at line ")]
    [InlineData("", "the file is empty")]
    [InlineData("- a\n- b\n", "expected a StatefulStore resource (apiVersion, kind, metadata, spec), found a list")]
    [InlineData("kind: a\n---\nkind: b\n", "holds 2 YAML documents")]
    public void A_file_that_is_not_one_resource_is_refused_in_one_line(string text, string expected)
    {
        var (path, error) = Refuse(text);

        Assert.StartsWith($"--store: {path}: {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_password_is_masked_in_text_and_kept_in_the_connection_string()
    {
        var store = new PostgresStoreSettings("carts-store", "db", 5433, "carts", "public", "carts", Password);

        Assert.DoesNotContain(Password, store.ToString(), StringComparison.Ordinal);
        Assert.Contains("Password = ***", store.ToString(), StringComparison.Ordinal);
        Assert.Contains("Name = carts-store, Host = db, Port = 5433", store.ToString(), StringComparison.Ordinal);

        var connection = new DbConnectionStringBuilder { ConnectionString = store.ConnectionString() };
        Assert.Equal(["db", "5433", "carts", "carts", Password], new[] { "Host", "Port", "Database", "Username", "Password" }.Select(key => connection[key]));
    }
}
