using System.Globalization;
using Cloudstate.Es.Journal.Postgres;

namespace Cloudstate.Es.Proxy.Storage;

/// <summary>Reads a Cloudstate StatefulStore resource (YAML, or JSON) into the <see cref="StoreSettings"/> the proxy opens.</summary>
/// <remarks>Every problem is an <see cref="ArgumentException"/> of one line naming the field:
/// <c>--store: FILE: spec.postgres.port: 'abc' is not a TCP port (line 7).</c></remarks>
public static partial class StatefulStoreFile
{
    /// <summary>The only apiVersion understood.</summary>
    public const string ApiVersion = "cloudstate.io/v1alpha1";

    /// <summary>The only kind understood.</summary>
    public const string Kind = "StatefulStore";

    /// <summary>Reads and validates <paramref name="path"/>; <paramref name="environment"/> resolves the credential
    /// variables the file names (null or empty means not set).</summary>
    public static StoreSettings Load(string path, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("--store: the file name is empty.");
        }

        var root = ReadDocument(path);
        root.AllowOnly("apiVersion", "kind", "metadata", "spec");
        var apiVersion = root.Required("apiVersion");
        if (apiVersion != ApiVersion)
        {
            throw root.Error("apiVersion", $"expected {ApiVersion}, found '{apiVersion}'");
        }

        var kind = root.Required("kind");
        if (kind != Kind)
        {
            throw root.Error("kind", $"expected {Kind}, found '{kind}'");
        }

        var metadata = root.Section("metadata");
        metadata.AllowOnly("name", "namespace", "labels", "annotations");
        var name = metadata.Required("name");

        var spec = root.Section("spec");
        spec.AllowOnly("postgres", "eventStoreDb", "sqlite", "inMemory");
        var given = spec.Keys();
        if (given.Count != 1)
        {
            var found = given.Count == 0 ? "none" : string.Join(", ", given);
            throw spec.Error(null, $"give exactly one of postgres, eventStoreDb, sqlite, inMemory (found {found})");
        }

        return given[0] switch
        {
            "postgres" => Postgres(name, spec.Section("postgres"), environment),
            "eventStoreDb" => EventStoreDb(name, spec.Section("eventStoreDb"), environment),
            "sqlite" => Sqlite(name, spec.Section("sqlite")),
            _ => InMemory(name, spec.Section("inMemory")),
        };
    }

    private static PostgresStoreSettings Postgres(string name, FileSection postgres, Func<string, string?> environment)
    {
        postgres.AllowOnly("host", "port", "database", "schema", "credentials");
        var host = postgres.Required("host");
        var port = postgres.Optional("port") is { } text ? TcpPort(postgres, text) : PostgresStoreSettings.DefaultPort;
        var database = postgres.Required("database");
        var schema = postgres.Optional("schema") ?? PostgresStoreSettings.DefaultSchema;
        if (!PostgresJournalOptions.IsSchemaName(schema))
        {
            throw postgres.Error("schema", $"'{schema}' is not a schema name (lower-case letters, digits and '_', starting with a letter)");
        }

        var credentials = postgres.Section("credentials");
        credentials.AllowOnly("usernameEnv", "passwordEnv");
        var usernameEnv = credentials.Required("usernameEnv");
        var passwordEnv = credentials.Required("passwordEnv");
        var username = FromEnvironment(credentials, "usernameEnv", usernameEnv, environment);
        var password = FromEnvironment(credentials, "passwordEnv", passwordEnv, environment);

        return new PostgresStoreSettings(name, host, port, database, schema, username, password);
    }

    private static EventStoreDbStoreSettings EventStoreDb(string name, FileSection node, Func<string, string?> environment)
    {
        node.AllowOnly("host", "port", "tls", "credentials");
        var host = node.Required("host");
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            throw node.Error("host", $"'{host}' is not a host name or address");
        }

        var port = node.Optional("port") is { } text ? TcpPort(node, text) : EventStoreDbStoreSettings.DefaultPort;
        var tls = node.Optional("tls") switch
        {
            null or "false" => false,
            "true" => true,
            var other => throw node.Error("tls", $"'{other}' is not true or false"),
        };
        if (node.Keys().Contains("credentials"))
        {
            var credentials = node.Section("credentials");
            credentials.AllowOnly("usernameEnv", "passwordEnv");
            var username = FromEnvironment(credentials, "usernameEnv", credentials.Required("usernameEnv"), environment);
            var password = FromEnvironment(credentials, "passwordEnv", credentials.Required("passwordEnv"), environment);
            return new EventStoreDbStoreSettings(name, host, port, tls, username, password);
        }

        return new EventStoreDbStoreSettings(name, host, port, tls, null, null);
    }

    private static SqliteStoreSettings Sqlite(string name, FileSection sqlite)
    {
        sqlite.AllowOnly("path");
        return new SqliteStoreSettings(name, sqlite.Required("path"));
    }

    private static InMemoryStoreSettings InMemory(string name, FileSection inMemory)
    {
        inMemory.AllowOnly();
        return new InMemoryStoreSettings(name);
    }

    private static int TcpPort(FileSection section, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw section.Error("port", $"'{text}' is not a TCP port");

    // Only the variable's name is ever put in a message, never its value.
    private static string FromEnvironment(FileSection section, string key, string variable, Func<string, string?> environment) =>
        environment(variable) is { Length: > 0 } value
            ? value
            : throw section.Error(key, $"environment variable {variable} is not set");
}
