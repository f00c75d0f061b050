using System.Collections.Concurrent;
using System.Diagnostics;
using Cloudstate.Es.Postgres.Testing;
using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Proxy.Storage;
using Cloudstate.Es.TestModel;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Npgsql;
using static Cloudstate.Es.Proxy.Tests.ModelRequests;
using Xunit.Abstractions;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>The proxy on PostgreSQL while its server connections are killed again and again under load.</summary>
public sealed class PostgresStoreFaultSoakTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan KillEvery = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan StallPhase = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Under_killed_connections_a_command_answered_OK_is_stored_once_and_one_answered_with_an_error_is_not_stored()
    {
        // A server of the test's own: killing every 'cloudstate-es' connection must not reach other tests' proxies.
        await using var server = await PrivateServer.StartAsync();
        await using var userFunction = await ModelUserFunction.StartAsync();
        using var folder = new TemporaryDirectory();
        await using var proxy = await ProxyServer.StartAsync(userFunction.Address, folder.Path, options =>
            options.Store.Settings = new PostgresStoreSettings("soak", "127.0.0.1", server.Port, "postgres", "public", "cloudstate", server.Password));
        var model = new Model.ModelClient(proxy.Channel);
        var answers = new ConcurrentDictionary<string, StatusCode>();
        using var stop = new CancellationTokenSource(Load);

        var clients = Enumerable.Range(0, 16).Select(client => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var value = $"<c{client}n{n}>";
                try
                {
                    await model.ProcessAsync(Of($"entity-{client % 8}", Emit(value)), deadline: DateTime.UtcNow.AddSeconds(30));
                    answers[value] = StatusCode.OK;
                }
                catch (RpcException e)
                {
                    answers[value] = e.StatusCode;
                }
            }
        })).ToArray();
        var killed = await KillConnectionsAsync(server, stop.Token);
        await Task.WhenAll(clients);

        await using var dataSource = TestDatabase.CreateDataSource(server.ConnectionString);
        var stored = await StoredValuesAsync(dataSource);
        var ok = answers.Where(a => a.Value == StatusCode.OK).Select(a => a.Key).ToList();
        var failed = answers.Where(a => a.Value is not (StatusCode.OK or StatusCode.DeadlineExceeded or StatusCode.Cancelled)).Select(a => a.Key).ToList();
        var unknown = answers.Count - ok.Count - failed.Count;
        var okNotOnce = ok.Where(value => stored.GetValueOrDefault(value) != 1).ToList();
        var failedButStored = failed.Where(stored.ContainsKey).ToList();
        var statuses = string.Join(", ", answers.GroupBy(a => a.Value).Select(g => $"{g.Key} {g.Count()}"));
        var summary = $"{answers.Count} commands ({statuses}; unknown {unknown}), {killed} connections killed, {stored.Values.Sum()} events stored; "
            + $"OK but not stored once: {okNotOnce.Count} [{string.Join(" ", okNotOnce.Take(10).Select(v => $"{v}x{stored.GetValueOrDefault(v)}"))}], "
            + $"failed but stored: {failedButStored.Count} [{string.Join(" ", failedButStored.Take(10).Select(v => $"{v}:{answers[v]}"))}]";
        output.WriteLine(summary);

        Assert.True(okNotOnce.Count == 0 && failedButStored.Count == 0, summary);
        Assert.True(stored.Values.All(count => count == 1), $"an event stored twice; {summary}");
        Assert.True(killed >= 20 && ok.Count >= 100, $"the soak did too little to show anything; {summary}");
    }

    /// <summary>
    /// Terminates the proxy's server connections every <see cref="KillEvery"/> until stopped, stalling commits every
    /// other <see cref="StallPhase"/>; returns how many connections it terminated.
    /// </summary>
    private static async Task<int> KillConnectionsAsync(PrivateServer server, CancellationToken stop)
    {
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString) { ApplicationName = "soak-killer", Timeout = 5 };
        await using var killer = new NpgsqlConnection(builder.ConnectionString);
        await killer.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'cloudstate-es'", killer);
        var killed = 0;
        var phase = Stopwatch.StartNew();
        var stalling = false;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (phase.Elapsed > StallPhase)
                {
                    stalling = !stalling;
                    await StallCommitsAsync(killer, stalling);
                    phase.Restart();
                }

                killed += (int)(long)(await command.ExecuteScalarAsync(CancellationToken.None))!;
                // Paced by a timer that the stop cancels, not a fixed sleep: the loop ends with the load.
                await Task.Delay(KillEvery, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        finally
        {
            await StallCommitsAsync(killer, stall: false);
        }

        return killed;
    }

    /// <summary>
    /// Every other phase, commits wait for a synchronous standby that does not exist: a commit is then done on the
    /// server but not answered until its connection is killed, the case of a connection lost after the commit. In the
    /// other phases the kills mostly hit idle connections or statements still running.
    /// </summary>
    private static async Task StallCommitsAsync(NpgsqlConnection connection, bool stall)
    {
        await using (var set = new NpgsqlCommand($"ALTER SYSTEM SET synchronous_standby_names = '{(stall ? "nobody" : "")}'", connection))
            await set.ExecuteNonQueryAsync();
        await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", connection);
        await reload.ExecuteNonQueryAsync();
    }

    /// <summary>How often each Persisted value is stored, checking that every stream's sequence numbers run 1, 2, 3...</summary>
    private static async Task<Dictionary<string, int>> StoredValuesAsync(NpgsqlDataSource dataSource)
    {
        var counts = new Dictionary<string, int>();
        var at = new Dictionary<string, long>();
        await using var command = dataSource.CreateCommand("SELECT stream_id, version, bdata FROM public.mt_events ORDER BY stream_id, version");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var stream = reader.GetString(0);
            var version = reader.GetInt64(1);
            Assert.True(version == at.GetValueOrDefault(stream) + 1, $"{stream}: sequence {version} follows {at.GetValueOrDefault(stream)}");
            at[stream] = version;
            var value = Any.Parser.ParseFrom(reader.GetFieldValue<byte[]>(2)).Unpack<Persisted>().Value;
            counts[value] = counts.GetValueOrDefault(value) + 1;
        }

        return counts;
    }
}
