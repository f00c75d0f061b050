using Cloudstate.Es.Sdk.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Tck.Model;

/// <summary>The TCK model served by our Sdk, as the user function under test.</summary>
public sealed class TckModelUserFunction : IAsyncDisposable
{
    private readonly WebApplication app;

    private TckModelUserFunction(WebApplication app) => this.app = app;

    /// <summary>host:port it listens on.</summary>
    public string Address => new Uri(app.Urls.Single()).Authority;

    /// <summary>Starts on 127.0.0.1:<paramref name="port"/> (0: a free port).</summary>
    public static async Task<TckModelUserFunction> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.AddCloudstate(options =>
            {
                options.Port = port;
                options.ServiceName = "cloudstate-es-tck-model";
            })
            .AddEventSourcedEntity<TckModelEntity>(EventSourcedTckModel.Descriptor, e =>
            {
                e.PersistenceId = TckModelEntity.PersistenceId;
                e.SnapshotEvery = 5;
            })
            .AddEventSourcedEntity<TckEmptyEntity>(EventSourcedTwo.Descriptor, e => e.PersistenceId = "event-sourced-tck-model-2")
            .AddEventSourcedEntity<TckEmptyEntity>(EventSourcedConfigured.Descriptor, e =>
            {
                e.PersistenceId = "event-sourced-configured";
                e.PassivationTimeout = TimeSpan.FromMilliseconds(100);
            });
        var app = builder.Build();
        app.MapCloudstate();
        await app.StartAsync();
        return new TckModelUserFunction(app);
    }

    /// <summary>Completes when the process is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync() => app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
