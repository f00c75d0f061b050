using Cloudstate.Es.Samples.ShoppingCart;
using Cloudstate.Es.TestModel;

namespace Cloudstate.Es.Proxy.Tests.Connections;

/// <summary>One proxy with its default limits in front of the sample cart, for clients that misbehave on purpose.</summary>
public sealed class HostileClientFixture : IAsyncLifetime
{
    private readonly TemporaryDirectory data = new();
    private ModelUserFunction userFunction = null!;
    private ProxyServer proxy = null!;

    internal ProxyServer Proxy => proxy;

    public async Task InitializeAsync()
    {
        userFunction = await ModelUserFunction.StartAsync(register: c => c
            .AddEventSourcedEntity<ShoppingCartEntity>(Samples.ShoppingCart.Api.ShoppingCart.Descriptor, e => e.PersistenceId = "shopping-cart"));
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path);
    }

    public async Task DisposeAsync()
    {
        await proxy.DisposeAsync();
        await userFunction.DisposeAsync();
        data.Dispose();
    }
}
