using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Cloudstate.Es.Proxy.Storage;

/// <summary>The journal and snapshot store the proxy opens, resolved from a StatefulStore file (<see cref="StatefulStoreFile"/>).</summary>
/// <param name="Name">The store's metadata.name.</param>
public abstract record StoreSettings(string Name);

/// <summary>SQLite files on local disk: journal.db and snapshots.db in <paramref name="Directory"/>.</summary>
/// <param name="Directory">The directory holding both files, as written (a relative path is relative to the current directory).</param>
public sealed record SqliteStoreSettings(string Name, string Directory) : StoreSettings(Name);

/// <summary>Nothing persisted: journal and snapshots live in memory and vanish with the process; for tests and demos.</summary>
public sealed record InMemoryStoreSettings(string Name) : StoreSettings(Name);

/// <summary>A PostgreSQL server; the credentials are read from the environment when the file is loaded.</summary>
/// <remarks>The password never appears in <see cref="object.ToString"/>; only <see cref="ConnectionString"/> carries it.</remarks>
public sealed record PostgresStoreSettings(
    string Name, string Host, int Port, string Database, string Schema, string Username, string Password) : StoreSettings(Name)
{
    /// <summary>The port when the file gives none.</summary>
    public const int DefaultPort = 5432;

    /// <summary>The schema when the file gives none.</summary>
    public const string DefaultSchema = "public";

    /// <summary>An Npgsql connection string (Host, Port, Database, Username, Password); it holds the password, so never log it.</summary>
    public string ConnectionString() => new DbConnectionStringBuilder
    {
        ["Host"] = Host,
        ["Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["Database"] = Database,
        ["Username"] = Username,
        ["Password"] = Password,
    }.ConnectionString;

    protected override bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (base.PrintMembers(builder))
        {
            builder.Append(", ");
        }

        builder.Append(CultureInfo.InvariantCulture, $"Host = {Host}, Port = {Port}, Database = {Database}, Schema = {Schema}, ");
        builder.Append(CultureInfo.InvariantCulture, $"Username = {Username}, Password = ***");
        return true;
    }
}

/// <summary>An EventStoreDB node, reached over gRPC on its HTTP port; credentials, when the file names them, are read from
/// the environment when it is loaded (an insecure node needs none).</summary>
/// <remarks>The password never appears in <see cref="object.ToString"/>.</remarks>
public sealed record EventStoreDbStoreSettings(string Name, string Host, int Port, bool Tls, string? Username, string? Password) : StoreSettings(Name)
{
    /// <summary>The port when the file gives none: EventStoreDB's HTTP and gRPC port.</summary>
    public const int DefaultPort = 2113;

    /// <summary>The node's gRPC address.</summary>
    public Uri Address => new($"{(Tls ? "https" : "http")}://{Host}:{Port}");

    protected override bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (base.PrintMembers(builder))
        {
            builder.Append(", ");
        }

        builder.Append(CultureInfo.InvariantCulture, $"Host = {Host}, Port = {Port}, Tls = {Tls}, Username = {Username}, Password = {(Password is null ? "" : "***")}");
        return true;
    }
}
