using Cloudstate.Es.Proxy.Discovery;
using Cloudstate.Es.Proxy.Frontend;
using Cloudstate.Es.Proxy.Http;
using Cloudstate.Es.TestModel.Http;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Cloudstate.Es.Proxy.Tests.Http;

public sealed class HttpRouteTableTests
{
    private static EntityService Entity(ServiceDescriptor descriptor)
    {
        var service = new EntityService(descriptor, descriptor.Name, null);
        foreach (var method in descriptor.Methods)
            service.Methods[method.Name] = new EntityMethod(service, method, EntityKeyReader.For(method.InputType)!);
        return service;
    }

    private static HttpRouteTable ThingRoutes() => HttpRouteTable.Build(new EntityCatalog([Entity(Things.Descriptor)]));

    [Fact]
    public void Every_rule_and_additional_binding_becomes_a_route_and_a_method_without_one_gets_the_default()
    {
        var routes = ThingRoutes().Routes.Select(r => $"{r.HttpMethod} {r.Template} {r.Method.Name} body={r.Body} response={r.ResponseBody}").Order();

        Assert.Equal(
            [
                "DELETE /things/{id} Delete body= response=",
                "GET /things/{id} Get body= response=",
                "GET /things/{id}/history Get body= response=history",
                "GET /v1/{name=shelves/*/books/*}/things/{id} Book body= response=",
                "LIST /things/{id} Listing body= response=",
                "PATCH /things/{id}/detail SetDetail body=detail response=",
                "POST /cloudstate.es.tests.http.Things/Plain Plain body=* response=",
                "POST /refs/{ref.key}/things/{id} Nested body=* response=",
                "POST /things/{id}:clear Clear body= response=",
                "PUT /things/{id} Put body=* response=",
            ],
            routes);
    }

    [Theory]
    [InlineData("GET", "/things/t1", "Get", "id=t1")]
    [InlineData("GET", "/things/t1/history", "Get", "id=t1")]
    [InlineData("POST", "/things/t1:clear", "Clear", "id=t1")]
    [InlineData("GET", "/v1/shelves/s/books/b/things/t1", "Book", "name=shelves/s/books/b id=t1")]
    [InlineData("POST", "/refs/r9/things/t1", "Nested", "ref.key=r9 id=t1")]
    [InlineData("LIST", "/things/t1", "Listing", "id=t1")]
    public void A_request_finds_its_method_and_bindings(string httpMethod, string path, string method, string bindings)
    {
        var route = ThingRoutes().Match(httpMethod, path, out var bound);

        Assert.Equal(method, route?.Method.Name);
        Assert.Equal(bindings, string.Join(' ', bound.Select(b => $"{b.Key}={b.Value}")));
    }

    [Fact]
    public void A_path_known_under_another_method_is_told_apart_from_an_unknown_one()
    {
        var routes = ThingRoutes();

        Assert.Null(routes.Match("POST", "/things/t1", out _));
        Assert.True(routes.MatchesOtherMethod("POST", "/things/t1"));
        Assert.False(routes.MatchesOtherMethod("GET", "/nowhere"));
    }

    [Fact]
    public void Two_services_declaring_the_same_route_stop_the_start_naming_both()
    {
        var error = Assert.Throws<FormatException>(() => HttpRouteTable.Build(new EntityCatalog([Entity(Things.Descriptor), Entity(Clashing.Descriptor)])));

        Assert.Contains("cloudstate.es.tests.http.Things.Get", error.Message, StringComparison.Ordinal);
        Assert.Contains("cloudstate.es.tests.http.Clashing.Fetch", error.Message, StringComparison.Ordinal);
    }
}
