using Cloudstate.Es.Protocol;
using Cloudstate.Es.Proxy.Discovery;
using Cloudstate.Es.Samples.ShoppingCart;
using Cloudstate.Es.TestModel;
using Google.Protobuf.Reflection;
using Grpc.Net.Client;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>The spec our own support library sends, with the files of the events and snapshots, is one the proxy serves.</summary>
public sealed class SdkSpecTests : IAsyncLifetime
{
    private ModelUserFunction userFunction = null!;

    public async Task InitializeAsync() =>
        userFunction = await ModelUserFunction.StartAsync(register: c => c.AddEventSourcedEntity<ShoppingCartEntity>(Samples.ShoppingCart.Api.ShoppingCart.Descriptor, e => e.PersistenceId = "shopping-cart"));

    public Task DisposeAsync() => userFunction.DisposeAsync().AsTask();

    [Fact]
    public async Task The_cart_spec_with_its_domain_file_is_accepted_and_its_events_build()
    {
        using var channel = GrpcChannel.ForAddress("http://" + userFunction.Address);
        var spec = await new EntityDiscovery.EntityDiscoveryClient(channel).discoverAsync(new ProxyInfo
        {
            ProtocolMajorVersion = 0, ProtocolMinorVersion = 2, ProxyName = "tests", SupportedEntityTypes = { EntitySpecReader.EventSourcedType },
        });

        var (catalog, problems) = EntitySpecReader.Read(spec);

        Assert.Empty(problems);
        Assert.NotNull(catalog!.Find("com.example.shoppingcart.ShoppingCart"));
        var domain = DescriptorSets.Build(spec.Proto).Single(f => f.Name == "domain.proto");
        Assert.Equal("com.example.shoppingcart.persistence.ItemAdded", domain.FindTypeByName<MessageDescriptor>("ItemAdded")?.FullName);
    }
}
