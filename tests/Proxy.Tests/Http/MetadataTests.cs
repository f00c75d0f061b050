using System.Net;
using Cloudstate.Es.TestModel;
using Cloudstate.Es.TestModel.Http;
using Grpc.Core;

namespace Cloudstate.Es.Proxy.Tests.Http;

/// <summary>Request headers reach the user function as the command's metadata and the reply's metadata comes back as headers, through both front ends.</summary>
public sealed class MetadataTests(HttpFrontendFixture fixture) : IClassFixture<HttpFrontendFixture>
{
    private readonly string id = Guid.NewGuid().ToString("N")[..8];

    private Things.ThingsClient Things => new(fixture.Channel);

    private async Task<HttpResponseMessage> GetOverHttpAsync(params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/things/{id}");
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        var response = await fixture.Http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /things/{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private static string[] Seen(Grpc.Core.Metadata headers) => headers.GetValue(MetadataEcho.Seen)?.Split(',') ?? [];

    private static string[] Seen(HttpResponseMessage response) =>
        response.Headers.TryGetValues(MetadataEcho.Seen, out var values) ? values.Single().Split(',') : [];

    [Fact]
    public async Task An_HTTP_header_reaches_the_user_function_and_its_reply_header_comes_back()
    {
        using var response = await GetOverHttpAsync(("X-Echo-Color", "blue"), ("User-Agent", "curl/8.5.0"), ("Connection", "keep-alive"));

        Assert.Equal("blue", response.Headers.GetValues("x-echoed-color").Single());
        var seen = Seen(response);
        Assert.Contains("x-echo-color", seen);
        Assert.Contains("user-agent", seen);
        Assert.DoesNotContain("connection", seen);
        Assert.DoesNotContain("host", seen);
        Assert.DoesNotContain(seen, key => key.StartsWith(':'));
    }

    [Fact]
    public async Task A_gRPC_header_text_or_binary_reaches_the_user_function_and_its_reply_headers_come_back()
    {
        var headers = new Grpc.Core.Metadata { { "x-echo-color", "green" }, { "x-echo-data-bin", new byte[] { 0, 1, 254, 255 } } };

        using var call = Things.GetAsync(new Thing { Id = id }, headers);
        await call.ResponseAsync;
        var reply = await call.ResponseHeadersAsync;

        Assert.Equal("green", reply.GetValue("x-echoed-color"));
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, reply.GetValueBytes("x-echoed-data-bin"));
        var seen = Seen(reply);
        Assert.Contains("x-echo-color", seen);
        Assert.Contains("x-echo-data-bin", seen);
        Assert.DoesNotContain(seen, key => key.StartsWith("grpc-", StringComparison.Ordinal) || key.StartsWith(':') || key is "te" or "content-type");
    }

    [Fact]
    public async Task Reply_metadata_that_is_no_valid_header_is_dropped_and_the_HTTP_reply_still_arrives()
    {
        using var response = await GetOverHttpAsync(("x-reply-invalid", "yes"));

        Assert.Equal("ok", response.Headers.GetValues("x-fine").Single());
        var names = response.Headers.Concat(response.Content.Headers).Select(h => h.Key.ToLowerInvariant()).ToList();
        Assert.DoesNotContain("x-crlf", names);
        Assert.DoesNotContain("injected", names);
        Assert.DoesNotContain("x-text-bin", names);
        Assert.DoesNotContain("x-bytes", names);
        Assert.DoesNotContain("grpc-status", names);
        Assert.Contains(id, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_metadata_that_is_no_valid_header_is_dropped_and_the_gRPC_reply_still_arrives()
    {
        using var call = Things.GetAsync(new Thing { Id = id }, new Grpc.Core.Metadata { { "x-reply-invalid", "yes" } });
        var echo = await call.ResponseAsync;
        var reply = await call.ResponseHeadersAsync;

        Assert.Equal(id, echo.Request.Id);
        Assert.Equal("ok", reply.GetValue("x-fine"));
        Assert.DoesNotContain(reply, e => e.Key is "x-crlf" or "x-text-bin" or "x-bytes" or "content-length" or "grpc-status");
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }
}
