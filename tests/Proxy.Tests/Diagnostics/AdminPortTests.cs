using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Cloudstate.Es.Postgres.Testing;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Cloudstate.Es.TestModel;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Cloudstate.Es.Proxy.Tests.Diagnostics;

/// <summary>The admin port of a proxy process: health while it starts and when it runs, and the metrics of known traffic.</summary>
public sealed class AdminPortTests
{
    private const string CartService = "com.example.shoppingcart.ShoppingCart";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ready_waits_for_discovery_and_metrics_count_the_commands_answered()
    {
        using var data = new TemporaryDirectory();
        var userFunctionPort = ChildProcess.FreePort();
        var port = ChildProcess.FreePort();
        var adminPort = ChildProcess.FreePort();
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };

        // No user function yet: the proxy is alive, and not ready.
        await using var proxy = ChildProcess.StartProxy(
            ["--user-function", $"127.0.0.1:{userFunctionPort}", "--port", Text(port), "--admin-port", Text(adminPort), "--data", data.Path]);
        await proxy.WaitForOutputAsync($"listening on: http://127.0.0.1:{adminPort}", Deadline);
        using (var alive = await admin.GetAsync("/healthz"))
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        var waiting = await ReadyAsync(admin);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), (waiting.Code, waiting.Status));
        Assert.Equal("Unhealthy", waiting.Checks["user-function"]);

        await using var userFunction = await ModelUserFunction.StartAsync(userFunctionPort, c =>
            c.AddEventSourcedEntity<Samples.ShoppingCart.ShoppingCartEntity>(ShoppingCart.Descriptor, e => e.PersistenceId = "shopping-cart"));
        var ready = await PollAsync(() => ReadyAsync(admin), r => r.Code == HttpStatusCode.OK);
        Assert.Equal("Healthy", ready.Status);
        Assert.All(["user-function", "journal", "cluster"], check => Assert.Equal("Healthy", ready.Checks[check]));

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        // Known traffic: 7 items added to 3 carts, 2 carts read, 1 refused addition.
        var cart = new ShoppingCart.ShoppingCartClient(channel);
        for (var i = 0; i < 7; i++)
            await cart.AddItemAsync(new AddLineItem { UserId = $"user-{i % 3}", ProductId = $"item-{i}", Name = "item", Quantity = 1 });
        await cart.GetCartAsync(new GetShoppingCart { UserId = "user-0" });
        await cart.GetCartAsync(new GetShoppingCart { UserId = "user-1" });
        var refused = await Assert.ThrowsAsync<RpcException>(() => cart.AddItemAsync(new AddLineItem { UserId = "user-0", ProductId = "x", Name = "x", Quantity = -1 }).ResponseAsync);

        var metrics = PrometheusText.Parse(await admin.GetStringAsync("/metrics"));

        double Value(string name, params string[] labels) => Assert.Single(metrics.Named(name, labels)).Value;
        var service = $"service={CartService}";
        Assert.Equal(7, Value("cloudstate_proxy_commands_total", service, "method=AddItem", "status=OK"));
        Assert.Equal(2, Value("cloudstate_proxy_commands_total", service, "method=GetCart", "status=OK"));
        Assert.Equal(1, Value("cloudstate_proxy_commands_total", service, "method=AddItem", $"status={Code(refused.StatusCode)}"));
        AssertHistogram(metrics, "cloudstate_proxy_command_duration_seconds", 7, service, "method=AddItem", "status=OK");
        AssertHistogram(metrics, "cloudstate_proxy_command_duration_seconds", 2, service, "method=GetCart", "status=OK");

        Assert.Equal(3, Value("cloudstate_proxy_entities_active"));
        Assert.Equal(3, Value("cloudstate_proxy_user_function_streams"));
        Assert.Equal(3, Value("cloudstate_proxy_snapshot_loads_total", "outcome=none"));
        Assert.Equal(3, Value("cloudstate_proxy_entity_activations_total", service, "outcome=activated"));
        AssertHistogram(metrics, "cloudstate_proxy_entity_replayed_events", 3, service);
        Assert.Equal(7, Value("cloudstate_proxy_journal_appends_total", "outcome=written"));
        Assert.Equal(7, Value("cloudstate_proxy_journal_events_total"));
        AssertHistogram(metrics, "cloudstate_proxy_journal_append_duration_seconds", 7, "outcome=written");
    }

    [Fact]
    public async Task Ready_turns_unready_while_postgresql_is_stopped_and_ready_again_when_it_is_back()
    {
        await using var server = await PrivateServer.StartAsync();
        await using var userFunction = await ModelUserFunction.StartAsync();
        using var folder = new TemporaryDirectory();
        var store = Path.Combine(folder.Path, "store.yaml");
        await File.WriteAllTextAsync(store, $"""
            apiVersion: cloudstate.io/v1alpha1
            kind: StatefulStore
            metadata: {"{"} name: stopped-store {"}"}
            spec:
              postgres: {"{"} host: 127.0.0.1, port: {server.Port}, database: postgres, credentials: {"{"} usernameEnv: TEST_PGUSER, passwordEnv: TEST_PGPASSWORD {"}"} {"}"}
            """);
        var adminPort = ChildProcess.FreePort();
        await using var proxy = ChildProcess.StartProxy(
            ["--user-function", userFunction.Address, "--port", Text(ChildProcess.FreePort()), "--admin-port", Text(adminPort), "--store", store],
            new Dictionary<string, string> { ["TEST_PGUSER"] = "cloudstate", ["TEST_PGPASSWORD"] = server.Password });
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };
        await proxy.WaitForOutputAsync($"listening on: http://127.0.0.1:{adminPort}", Deadline);
        Assert.Equal(HttpStatusCode.OK, (await PollAsync(() => ReadyAsync(admin), r => r.Code == HttpStatusCode.OK)).Code);

        await server.StopAsync();
        var stopped = await PollAsync(() => ReadyAsync(admin), r => r.Code != HttpStatusCode.OK);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", "Healthy"), (stopped.Code, stopped.Checks["journal"], stopped.Checks["user-function"]));

        await server.StartAgainAsync();
        var back = await PollAsync(() => ReadyAsync(admin), r => r.Code == HttpStatusCode.OK);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (back.Code, back.Checks["journal"]));
    }

    [Fact]
    public async Task Every_metric_the_grafana_dashboard_queries_is_exported()
    {
        var dashboard = await File.ReadAllTextAsync(Path.Combine(ChildProcess.RepositoryRoot, "deploy", "grafana", "cloudstate-es.json"));
        var queried = System.Text.RegularExpressions.Regex.Matches(dashboard, @"\b(cloudstate_[a-z_]+)\b").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.True(queried.Count >= 8, $"the dashboard queries {queried.Count} metrics");
        using var data = new TemporaryDirectory();
        await using var userFunction = await ModelUserFunction.StartAsync(register: c =>
            c.AddEventSourcedEntity<Samples.ShoppingCart.ShoppingCartEntity>(ShoppingCart.Descriptor, e => e.PersistenceId = "shopping-cart"));
        var port = ChildProcess.FreePort();
        var adminPort = ChildProcess.FreePort();
        await using var proxy = ChildProcess.StartProxy(
            ["--user-function", userFunction.Address, "--port", Text(port), "--admin-port", Text(adminPort), "--data", data.Path, "--passivation-timeout", "0.5"]);
        await proxy.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{port}", Deadline);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var cart = new ShoppingCart.ShoppingCartClient(channel);
        await cart.AddItemAsync(new AddLineItem { UserId = "dashboard", ProductId = "apple", Name = "apple", Quantity = 1 });
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };

        // The cart passivates half a second after its command: then every series the dashboard draws has a point.
        var missing = await PollAsync(
            async () =>
            {
                var exported = PrometheusText.Parse(await admin.GetStringAsync("/metrics")).Select(s => s.Name).ToHashSet();
                return queried.Where(name => !exported.Contains(name)).ToList();
            },
            names => names.Count == 0);
        Assert.Empty(missing);
    }

    [Fact]
    public async Task An_admin_port_taken_by_another_process_is_a_clear_refusal()
    {
        using var data = new TemporaryDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var adminPort = ((IPEndPoint)taken.LocalEndpoint).Port;

        await using var proxy = ChildProcess.StartProxy(
            ["--user-function", "127.0.0.1:1", "--port", Text(ChildProcess.FreePort()), "--admin-port", Text(adminPort), "--data", data.Path]);
        var exitCode = await proxy.WaitForExitAsync(Deadline);

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{proxy.Output}");
        Assert.Contains($"--admin-port {adminPort} on 127.0.0.1 cannot be bound", proxy.Output, StringComparison.Ordinal);
    }

    // A histogram's buckets are cumulative: never falling, the last (+Inf) equal to its count, its sum positive.
    private static void AssertHistogram(IReadOnlyList<PrometheusSample> metrics, string name, double count, params string[] labels)
    {
        var buckets = metrics.Named(name + "_bucket", labels).OrderBy(b => double.Parse(b.Labels["le"].Replace("+Inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture)).ToList();
        Assert.True(buckets.Count > 2, $"{name} has {buckets.Count} buckets");
        Assert.Equal(buckets.Select(b => b.Value).Order(), buckets.Select(b => b.Value));
        Assert.Equal("+Inf", buckets[^1].Labels["le"]);
        Assert.Equal(count, buckets[^1].Value);
        Assert.Equal(count, Assert.Single(metrics.Named(name + "_count", labels)).Value);
        Assert.True(Assert.Single(metrics.Named(name + "_sum", labels)).Value >= 0);
    }

    private static async Task<(HttpStatusCode Code, string Status, Dictionary<string, string> Checks)> ReadyAsync(HttpClient admin)
    {
        using var response = await admin.GetAsync("/ready");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString()!);
        return (response.StatusCode, body.RootElement.GetProperty("status").GetString()!, checks);
    }

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
                return value;
            await Task.Delay(50);
        }
    }

    private static string Code(StatusCode code) => code switch
    {
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        _ => code.ToString(),
    };

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
