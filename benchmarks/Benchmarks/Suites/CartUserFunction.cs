using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Proxy.UserFunction;
using Cloudstate.Es.Samples.ShoppingCart;
using Cloudstate.Es.Sdk.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using ApiShoppingCart = Cloudstate.Es.Samples.ShoppingCart.Api.ShoppingCart;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// The shopping cart user function, built as samples/ShoppingCart/Program.cs builds it, in this process on a free
/// loopback port (Kestrel, cleartext HTTP/2 only), with the proxy's channel to it. In process, so that a benchmark
/// needs no second program to start, and its allocation count covers both ends of the stream.
/// </summary>
internal sealed class CartUserFunction : IAsyncDisposable
{
    private readonly WebApplication app;

    private CartUserFunction(WebApplication app, UserFunctionChannel channel)
    {
        this.app = app;
        Channel = channel;
    }

    /// <summary>The cart's entity service, as the proxy names it in init.</summary>
    public static string ServiceName => ApiShoppingCart.Descriptor.FullName;

    public UserFunctionChannel Channel { get; }

    public static async Task<CartUserFunction> StartAsync(string persistenceId)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.AddCloudstate(options =>
            {
                options.Host = "127.0.0.1";
                options.Port = 0;
            })
            .AddEventSourcedEntity<ShoppingCartEntity>(ApiShoppingCart.Descriptor, entity => entity.PersistenceId = persistenceId);
        var app = builder.Build();
        app.MapCloudstate();
        await app.StartAsync();
        var address = new Uri(app.Urls.Single());
        return new CartUserFunction(app, new UserFunctionChannel(new ProxyOptions { UserFunction = { Host = address.Host, Port = address.Port } }));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await app.DisposeAsync();
    }
}
