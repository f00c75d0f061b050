using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloudstate.Es.Samples.ShoppingCart;
using Cloudstate.Es.TestModel;
using Cloudstate.Es.TestModel.Http;

namespace Cloudstate.Es.Proxy.Tests.Http;

/// <summary>One proxy for the class, in front of the cart and the HTTP test entity; each test uses its own entity ids.</summary>
public sealed class HttpFrontendFixture : IAsyncLifetime
{
    private readonly TemporaryDirectory data = new();
    private ModelUserFunction userFunction = null!;
    private ProxyServer proxy = null!;

    public HttpClient Http { get; private set; } = null!;

    public Grpc.Net.Client.GrpcChannel Channel => proxy.Channel;

    public async Task InitializeAsync()
    {
        userFunction = await ModelUserFunction.StartAsync(register: c => c
            .AddEventSourcedEntity<HttpThingsEntity>(HttpThingsEntity.Service, e => e.PersistenceId = "things")
            .AddEventSourcedEntity<ShoppingCartEntity>(Samples.ShoppingCart.Api.ShoppingCart.Descriptor, e => e.PersistenceId = "shopping-cart"));
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path);
        Http = new HttpClient { BaseAddress = proxy.Address };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await proxy.DisposeAsync();
        await userFunction.DisposeAsync();
        data.Dispose();
    }
}

/// <summary>The HTTP/JSON front end, through a real proxy port.</summary>
public sealed class HttpFrontendTests(HttpFrontendFixture fixture) : IClassFixture<HttpFrontendFixture>
{
    private readonly HttpClient http = fixture.Http;
    private readonly string id = Guid.NewGuid().ToString("N")[..8];

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string method, string path, string? json = null)
    {
        // "{id}" in a test's path stands for the test's own entity id.
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", id, StringComparison.Ordinal));
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> OkAsync(string method, string path, string? json = null)
    {
        var (status, body) = await SendAsync(method, path, json);
        Assert.True(status == HttpStatusCode.OK, $"{method} {path}: {(int)status} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private async Task<string[]> HistoryAsync(string thing) =>
        (await OkAsync("GET", $"/things/{thing}/history")).EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task The_cart_answers_curl_style_calls_over_HTTP_1_1()
    {
        var added = await OkAsync("POST", "/cart/{id}/items/add", """{"productId":"apple","name":"Apple","quantity":2}""");
        await OkAsync("POST", "/cart/{id}/items/add", """{"product_id":"apple","name":"Apple","quantity":"3"}""");
        var cart = await OkAsync("GET", "/carts/{id}");
        var items = await OkAsync("GET", "/carts/{id}/items");

        Assert.Equal("{}", added.Compact());
        Assert.Equal("""{"items":[{"productId":"apple","name":"Apple","quantity":5}]}""", cart.Compact());
        Assert.Equal("""[{"productId":"apple","name":"Apple","quantity":5}]""", items.Compact());
    }

    [Fact]
    public async Task Query_parameters_fill_the_fields_the_path_does_not_bind()
    {
        var echo = await OkAsync("GET", "/things/t1?count=5&flag=true&tags=a&tags=b&color=BLUE&label=L&detail.note=n&ref.key=r");

        Assert.Equal(
            """{"id":"t1","ref":{"key":"r"},"count":"5","flag":true,"tags":["a","b"],"color":"BLUE","detail":{"note":"n"},"label":"L"}""",
            echo.GetProperty("request").Compact());
        Assert.Equal("Get", echo.GetProperty("method").GetString());
    }

    [Fact]
    public async Task A_body_star_takes_the_whole_message_and_the_path_wins_over_it()
    {
        var echo = await OkAsync("PUT", "/things/t2", """{"id":"other","name":"n","count":7,"display_name":"D"}""");

        Assert.Equal("""{"id":"t2","name":"n","count":"7","label":"D"}""", echo.GetProperty("request").Compact());
    }

    [Fact]
    public async Task A_body_field_takes_only_that_field()
    {
        var echo = await OkAsync("PATCH", "/things/t3/detail?name=x", """{"note":"hello","level":3}""");

        Assert.Equal("""{"id":"t3","name":"x","detail":{"note":"hello","level":3}}""", echo.GetProperty("request").Compact());
    }

    [Theory]
    [InlineData("DELETE", "/things/t4", null, "Delete", """{"id":"t4"}""")]
    [InlineData("POST", "/things/t4:clear", null, "Clear", """{"id":"t4"}""")]
    [InlineData("GET", "/v1/shelves/s1/books/b%202/things/t4", null, "Book", """{"id":"t4","name":"shelves/s1/books/b 2"}""")]
    [InlineData("POST", "/refs/r9/things/t4", """{"flag":true}""", "Nested", """{"id":"t4","ref":{"key":"r9"},"flag":true}""")]
    [InlineData("LIST", "/things/t4", null, "Listing", """{"id":"t4"}""")]
    [InlineData("POST", "/cloudstate.es.tests.http.Things/Plain", """{"id":"t4","tags":["x"]}""", "Plain", """{"id":"t4","tags":["x"]}""")]
    public async Task Every_kind_of_rule_reaches_its_method(string method, string path, string? body, string expectedMethod, string expectedRequest)
    {
        var echo = await OkAsync(method, path, body);

        Assert.Equal(expectedMethod, echo.GetProperty("method").GetString());
        Assert.Equal(expectedRequest, echo.GetProperty("request").Compact());
    }

    [Theory]
    [InlineData("PUT", "/things/{id}", "{\"name\":", 400, "not valid JSON")]
    [InlineData("PUT", "/things/{id}", """{"nmae":"x"}""", 400, "nmae")]
    [InlineData("PUT", "/things/{id}", """{"count":"abc"}""", 400, "count")]
    [InlineData("PUT", "/things/{id}", """{"flag":"yes"}""", 400, "flag")]
    [InlineData("PUT", "/things/{id}", """[1,2]""", 400, "object")]
    [InlineData("GET", "/things/{id}?flag=maybe", null, 400, "flag")]
    [InlineData("GET", "/things/{id}?nope=1", null, 400, "nope")]
    [InlineData("DELETE", "/things/{id}", "{}", 400, "takes no body")]
    [InlineData("POST", "/cloudstate.es.tests.http.Things/Plain", "{}", 400, "entity key")]
    [InlineData("PUT", "/things/{id}", """{"name":"fail"}""", 500, "Put refuses thing {id}")]
    [InlineData("GET", "/nowhere", null, 404, "No route for GET /nowhere")]
    [InlineData("POST", "/things/{id}", "{}", 405, "No route for POST /things/{id}")]
    public async Task A_bad_request_gets_a_clear_error_and_changes_nothing(string method, string path, string? body, int status, string message)
    {
        await OkAsync("PUT", "/things/{id}", "{}");

        var (actualStatus, actualBody) = await SendAsync(method, path, body);

        Assert.Equal(status, (int)actualStatus);
        Assert.Contains(message.Replace("{id}", id, StringComparison.Ordinal), actualBody, StringComparison.Ordinal);
        Assert.Equal(["Put", "Get"], await HistoryAsync(id));
    }

    [Fact]
    public async Task JSON_also_travels_over_HTTP_2_on_the_gRPC_port()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/things/h2")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await http.SendAsync(request);

        Assert.Equal((HttpStatusCode.OK, new Version(2, 0)), (response.StatusCode, response.Version));
        Assert.Equal("""{"id":"h2"}""", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("request").Compact());
    }
}

internal static class JsonText
{
    /// <summary>The element without insignificant whitespace, to compare JSON as text.</summary>
    public static string Compact(this JsonElement element) => JsonSerializer.Serialize(element);
}
