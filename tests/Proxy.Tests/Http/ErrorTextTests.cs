using System.Net;
using System.Text;
using Cloudstate.Es.Proxy.Tests.Connections;

namespace Cloudstate.Es.Proxy.Tests.Http;

/// <summary>What the front end tells a client about a bad request is said in the proxy's words, never a framework's.</summary>
public sealed class ErrorTextTests(HostileClientFixture fixture) : IClassFixture<HostileClientFixture>
{
    [Theory]
    [InlineData("/cart/words/items/add", "{\"productId\": x}", "The body is not valid JSON: it is malformed at line 1, byte 15.")]
    [InlineData("/cart/words/items/add", "{\"productId\": \"a\"", "The body is not valid JSON: it is malformed at line 1, byte 18.")]
    public async Task Malformed_JSON_is_described_by_where_it_breaks_not_by_System_Text_Json_s_message(string path, string body, string expected)
    {
        using var http = new HttpClient { BaseAddress = fixture.Proxy.Address };
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
        using var error = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expected, error.RootElement.GetProperty("message").GetString());
    }
}
