using Cloudstate.Es.Annotations;
using Cloudstate.Es.Protocol;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Cloudstate.Es.Sdk.Tests;

public sealed class DiscoveryTests(UserFunctionServer server) : IClassFixture<UserFunctionServer>
{
    private static readonly ProxyInfo Proxy = new()
    {
        ProtocolMajorVersion = 0, ProtocolMinorVersion = 2, ProxyName = "tests", ProxyVersion = "1",
        SupportedEntityTypes = { "cloudstate.eventsourced.EventSourced" },
    };

    private EntitySpec Discover() => new EntityDiscovery.EntityDiscoveryClient(server.Channel).discover(Proxy);

    [Fact]
    public void Discovery_lists_every_registered_entity_as_event_sourced()
    {
        var entities = Discover().Entities.OrderBy(e => e.ServiceName).ToList();

        Assert.Equal(
            ["cloudstate.es.tests.model.Model", "cloudstate.es.tests.model.Two", "com.example.shoppingcart.ShoppingCart"],
            entities.Select(e => e.ServiceName));
        Assert.All(entities, e => Assert.Equal("cloudstate.eventsourced.EventSourced", e.EntityType));
        Assert.Equal(["model", "Two", "shopping-cart"], entities.Select(e => e.PersistenceId));
        Assert.Equal(100, entities[0].PassivationStrategy.Timeout.Timeout);
        Assert.Null(entities[1].PassivationStrategy);
    }

    [Fact]
    public void Discovery_reports_protocol_0_2_and_the_library()
    {
        var info = Discover().ServiceInfo;

        Assert.Equal((0, 2), (info.ProtocolMajorVersion, info.ProtocolMinorVersion));
        Assert.Equal("cloudstate-es-dotnet", info.SupportLibraryName);
        Assert.False(string.IsNullOrEmpty(info.SupportLibraryVersion));
        Assert.Equal(("model", "1.2.3"), (info.ServiceName, info.ServiceVersion));
        Assert.Contains(".NET", info.ServiceRuntime, StringComparison.Ordinal);
    }

    [Fact]
    public void Discovery_descriptor_set_holds_every_import_before_its_user_and_builds()
    {
        var set = FileDescriptorSet.Parser.ParseFrom(Discover().Proto);
        var names = set.File.Select(f => f.Name).ToList();

        Assert.Contains("google/api/annotations.proto", names);
        Assert.Contains("google/api/http.proto", names);
        Assert.Contains("google/protobuf/descriptor.proto", names);
        Assert.Contains("google/protobuf/empty.proto", names);
        Assert.Contains("cloudstate/entity_key.proto", names);
        Assert.Equal(names.Count, names.Distinct().Count());

        var files = FileDescriptor.BuildFromByteStrings(set.File.Select(f => f.ToByteString()));
        var cart = files.Single(f => f.Name == "shoppingcart.proto").Services.Single();
        var userId = cart.FindMethodByName("AddItem").InputType.FindFieldByName("user_id");
        var options = FieldOptions.Parser.WithExtensionRegistry([EntityKeyExtensions.EntityKey]).ParseFrom(userId.ToProto().Options.ToByteString());
        Assert.True(options.GetExtension(EntityKeyExtensions.EntityKey));
    }

    [Fact]
    public void Discovery_descriptor_set_holds_the_files_of_the_events_and_the_snapshot_after_their_imports()
    {
        var set = FileDescriptorSet.Parser.ParseFrom(Discover().Proto);
        var names = set.File.Select(f => f.Name).ToList();

        Assert.Contains("domain.proto", names);
        Assert.Equal(names.Count, names.Distinct().Count());
        var files = FileDescriptor.BuildFromByteStrings(set.File.Select(f => f.ToByteString()));
        var domain = files.Single(f => f.Name == "domain.proto");
        Assert.NotNull(domain.FindTypeByName<MessageDescriptor>("ItemAdded"));
        Assert.NotNull(domain.FindTypeByName<MessageDescriptor>("ItemRemoved"));
        Assert.NotNull(domain.FindTypeByName<MessageDescriptor>("Cart"));
    }

    [Fact]
    public void Discovery_by_a_proxy_without_event_sourced_support_is_refused()
    {
        var proxy = Proxy.Clone();
        proxy.SupportedEntityTypes.Clear();
        proxy.SupportedEntityTypes.Add("cloudstate.crdt.Crdt");

        var error = Assert.Throws<RpcException>(() => new EntityDiscovery.EntityDiscoveryClient(server.Channel).discover(proxy));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("cloudstate.eventsourced.EventSourced", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reported_error_is_acknowledged()
    {
        var reply = new EntityDiscovery.EntityDiscoveryClient(server.Channel).reportError(new UserFunctionError { Message = "bad spec" });

        Assert.NotNull(reply);
    }
}
