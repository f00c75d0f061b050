using Cloudstate.Es.Samples.Counter;
using Cloudstate.Es.Sdk.Hosting;

// The counter user function. Listens on HOST:PORT (default 127.0.0.1:8080) for a Cloudstate proxy.
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddCloudstate()
    .AddEventSourcedEntity<CounterEntity>(
        Cloudstate.Es.Samples.Counter.Api.Counter.Descriptor,
        entity => entity.PersistenceId = "counter");

var app = builder.Build();
app.MapCloudstate();
await app.RunAsync();
