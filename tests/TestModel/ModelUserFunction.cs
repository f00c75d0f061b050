using Cloudstate.Es.Sdk.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.TestModel;

/// <summary>A real user function on loopback serving the model, Two, and whatever else the caller registers.</summary>
public sealed class ModelUserFunction : IAsyncDisposable
{
    private readonly WebApplication app;

    private ModelUserFunction(WebApplication app, ActivationLog log)
    {
        this.app = app;
        Log = log;
    }

    public ActivationLog Log { get; }

    /// <summary>host:port the user function listens on.</summary>
    public string Address => new Uri(app.Urls.Single()).Authority;

    /// <summary>Starts on <paramref name="port"/> (0: a free one) with the model's passivation timeout and snapshot interval.</summary>
    public static async Task<ModelUserFunction> StartAsync(int port = 0, Action<CloudstateBuilder>? register = null, ActivationLog? log = null)
    {
        log ??= new ActivationLog();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(log);
        var cloudstate = builder.AddCloudstate(options =>
            {
                options.Port = port;
                options.ServiceName = "model";
                options.ServiceVersion = "1.2.3";
            })
            .AddEventSourcedEntity<ModelEntity>(ModelEntity.Service, e =>
            {
                e.PersistenceId = "model";
                e.SnapshotEvery = 5;
                e.PassivationTimeout = TimeSpan.FromMilliseconds(100);
            })
            .AddEventSourcedEntity<TwoEntity>(ModelEntity.TwoService);
        register?.Invoke(cloudstate);
        var app = builder.Build();
        app.MapCloudstate();
        await app.StartAsync();
        return new ModelUserFunction(app, log);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
