using Cloudstate.Es.Samples.ShoppingCart;
using Cloudstate.Es.TestModel;
using Grpc.Net.Client;

namespace Cloudstate.Es.Sdk.Tests;

/// <summary>A real user function on a free loopback port: the model, the second service and the shopping cart.</summary>
public sealed class UserFunctionServer : IAsyncLifetime
{
    private ModelUserFunction? userFunction;

    public GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        userFunction = await ModelUserFunction.StartAsync(register: cloudstate => cloudstate
            .AddEventSourcedEntity<ShoppingCartEntity>(Samples.ShoppingCart.Api.ShoppingCart.Descriptor, e => e.PersistenceId = "shopping-cart"));
        Channel = GrpcChannel.ForAddress("http://" + userFunction.Address);
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        if (userFunction is not null)
        {
            await userFunction.DisposeAsync();
        }
    }
}
