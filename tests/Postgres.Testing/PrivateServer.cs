using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Cloudstate.Es.Postgres.Testing;

/// <summary>
/// A PostgreSQL server of its own for one test, in a temporary folder on a free port, which the test may stop and
/// start (the shared server must stay up for the other tests). Made with the installed initdb and pg_ctl; as root they
/// run as the user postgres.
/// </summary>
public sealed class PrivateServer : IAsyncDisposable
{
    private readonly string binaries;
    private readonly string directory;

    private PrivateServer(string binaries, string directory, int port, string password)
    {
        this.binaries = binaries;
        this.directory = directory;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    /// <summary>The password of the superuser <c>cloudstate</c>.</summary>
    public string Password { get; }

    /// <summary>Connects as the superuser <c>cloudstate</c> to the database <c>postgres</c>.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=cloudstate;Password={Password};Database=postgres";

    /// <summary>Makes and starts a server whose superuser is <c>cloudstate</c> with <paramref name="password"/>.</summary>
    public static async Task<PrivateServer> StartAsync(string password = "cloudstate")
    {
        var binaries = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("No PostgreSQL binaries under /usr/lib/postgresql: run scripts/postgres (scripts/test does).");
        var directory = Path.Combine(Path.GetTempPath(), $"cloudstate-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var server = new PrivateServer(binaries, directory, FreePort(), password);
        if (Environment.UserName == "root")
            await RunProgramAsync("chown", "-R", "postgres:postgres", directory);
        var passwordFile = Path.Combine(directory, "password");
        await File.WriteAllTextAsync(passwordFile, password + "\n");
        await server.RunToolAsync("initdb", "-D", server.Data, "-U", "cloudstate", "--pwfile", passwordFile, "-A", "scram-sha-256", "--no-sync", "-E", "UTF8");
        await server.StartAgainAsync();
        return server;
    }

    private string Data => Path.Combine(directory, "data");

    /// <summary>Stops the server immediately, the way a crash or a restart looks to clients.</summary>
    public Task StopAsync() => RunToolAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");

    /// <summary>Starts the server again on the same port, waiting until it takes connections.</summary>
    public async Task StartAgainAsync()
    {
        await RunToolAsync("pg_ctl", "-D", Data, "-w", "-l", Path.Combine(directory, "log"),
            "-o", $"-p {Port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=on", "start");
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(directory, recursive: true);
    }

    private Task RunToolAsync(string tool, params string[] arguments) =>
        Environment.UserName == "root"
            ? RunProgramAsync("runuser", ["-u", "postgres", "--", Path.Combine(binaries, tool), .. arguments])
            : RunProgramAsync(Path.Combine(binaries, tool), arguments);

    private static async Task RunProgramAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
