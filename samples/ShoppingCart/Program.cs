using Cloudstate.Es.Samples.ShoppingCart;
using Cloudstate.Es.Sdk.Hosting;

// The shopping cart user function. Listens on HOST:PORT (default 127.0.0.1:8080) for a Cloudstate proxy.
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddCloudstate()
    .AddEventSourcedEntity<ShoppingCartEntity>(
        Cloudstate.Es.Samples.ShoppingCart.Api.ShoppingCart.Descriptor,
        entity => entity.PersistenceId = "shopping-cart");

var app = builder.Build();
app.MapCloudstate();
await app.RunAsync();
