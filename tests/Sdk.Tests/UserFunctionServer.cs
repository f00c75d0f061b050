using Cloudstate.Es.Samples.ShoppingCart;
using Cloudstate.Es.Sdk.Hosting;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Sdk.Tests;

/// <summary>A real user function on a free loopback port: the model, the second service and the shopping cart.</summary>
public sealed class UserFunctionServer : IAsyncLifetime
{
    private WebApplication? app;

    public GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.AddCloudstate(options =>
            {
                options.Port = 0;
                options.ServiceName = "sdk-tests";
                options.ServiceVersion = "1.2.3";
            })
            .AddEventSourcedEntity<ModelEntity>(ModelEntity.Service, e =>
            {
                e.PersistenceId = "model";
                e.SnapshotEvery = 5;
                e.PassivationTimeout = TimeSpan.FromMilliseconds(100);
            })
            .AddEventSourcedEntity<TwoEntity>(ModelEntity.TwoService)
            .AddEventSourcedEntity<ShoppingCartEntity>(Samples.ShoppingCart.Api.ShoppingCart.Descriptor, e => e.PersistenceId = "shopping-cart");
        app = builder.Build();
        app.MapCloudstate();
        await app.StartAsync();
        Channel = GrpcChannel.ForAddress(app.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}
