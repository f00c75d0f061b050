using System.Net;
using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Grpc.Core;
using Xunit.Abstractions;

namespace Cloudstate.Es.Proxy.Tests.Connections;

/// <summary>Headers and bodies over the proxy's limits are refused without the proxy taking in more than the limit.</summary>
public sealed class RequestLimitTests(HostileClientFixture fixture, ITestOutputHelper output) : IClassFixture<HostileClientFixture>
{
    private static readonly int HeadersLimit = new ConnectionOptions().MaxHeadersSize;
    private static readonly int MaxMessageSize = new FrontendOptions().MaxMessageSize;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CloseAfterAnswer = TimeSpan.FromSeconds(2);

    private async Task<string> GetWithHeadersAsync(string headers)
    {
        using var connection = await RawConnection.OpenAsync(fixture.Proxy.Address);
        await connection.SendAsync($"GET /carts/headers HTTP/1.1\r\nHost: proxy\r\n{headers}\r\n");
        await connection.WaitForAsync(text => text.Contains("\r\n\r\n", StringComparison.Ordinal), Deadline);
        return connection.Received.Split("\r\n", 2)[0];
    }

    private static string Header(string name, int size) => $"{name}: {new string('h', size)}\r\n";

    [Fact]
    public async Task A_header_over_60_KiB_is_refused_with_431()
    {
        var status = await GetWithHeadersAsync(Header("X-Big", HeadersLimit + 1024));

        Assert.Equal("HTTP/1.1 431 Request Header Fields Too Large", status);
    }

    [Fact]
    public async Task Headers_of_up_to_60_KiB_in_all_are_accepted_as_Envoy_accepts_them()
    {
        var status = await GetWithHeadersAsync(Header("X-Big", HeadersLimit - 4096));

        Assert.Equal("HTTP/1.1 200 OK", status);
    }

    [Fact]
    public async Task More_than_100_headers_are_refused_with_431()
    {
        var status = await GetWithHeadersAsync(string.Concat(Enumerable.Range(0, 101).Select(i => Header($"X-H{i}", 1))));

        Assert.Equal("HTTP/1.1 431 Request Header Fields Too Large", status);
    }

    [Fact]
    public async Task gRPC_metadata_over_60_KiB_fails_the_call_and_the_channel_still_serves_the_next_one()
    {
        var cart = new ShoppingCart.ShoppingCartClient(fixture.Proxy.Channel);
        var metadata = new Metadata { { "x-big", new string('m', HeadersLimit + 1024) } };

        var error = await Assert.ThrowsAsync<RpcException>(() => cart.GetCartAsync(new GetShoppingCart { UserId = "metadata" }, metadata).ResponseAsync);
        var next = await cart.GetCartAsync(new GetShoppingCart { UserId = "metadata" });

        output.WriteLine($"oversized metadata: {error.StatusCode} {error.Status.Detail}");
        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        Assert.Empty(next.Items);
    }

    [Fact]
    public async Task A_body_declared_larger_than_the_maximum_is_answered_413_at_once_and_not_read()
    {
        const long declared = 50_000_000;
        using var connection = await RawConnection.OpenAsync(fixture.Proxy.Address);
        await connection.SendAsync($"POST /cart/big/items/add HTTP/1.1\r\nHost: proxy\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\n\r\n");

        var answeredAt = await connection.WaitForAsync(text => text.Contains("larger than", StringComparison.Ordinal), Deadline);
        var pump = connection.PumpAsync(declared, chunked: false, until: Deadline);
        var closedAt = answeredAt is null ? null : await connection.WaitForCloseAsync(answeredAt.Value + CloseAfterAnswer);
        await pump;

        output.WriteLine($"413 after {answeredAt?.TotalMilliseconds:F0} ms, closed after {closedAt?.TotalMilliseconds:F0} ms, client sent {connection.Sent} bytes");
        Assert.StartsWith("HTTP/1.1 413 Payload Too Large", connection.Received, StringComparison.Ordinal);
        Assert.True(closedAt is not null, $"The proxy kept reading (or kept the connection) after its 413; the client sent {connection.Sent} bytes.");
        Assert.True(connection.Sent < declared, $"The proxy took the whole {declared} byte body after refusing it.");
    }

    [Fact]
    public async Task A_chunked_body_that_passes_the_maximum_is_answered_413_and_not_read_further()
    {
        using var connection = await RawConnection.OpenAsync(fixture.Proxy.Address);
        await connection.SendAsync("POST /cart/big/items/add HTTP/1.1\r\nHost: proxy\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");

        var pump = connection.PumpAsync(long.MaxValue, chunked: true, until: Deadline + CloseAfterAnswer);
        var answeredAt = await connection.WaitForAsync(text => text.Contains("larger than", StringComparison.Ordinal), Deadline);
        var closedAt = answeredAt is null ? null : await connection.WaitForCloseAsync(answeredAt.Value + CloseAfterAnswer);
        await pump;

        output.WriteLine($"413 after {answeredAt?.TotalMilliseconds:F0} ms, closed after {closedAt?.TotalMilliseconds:F0} ms, client sent {connection.Sent} bytes");
        Assert.StartsWith("HTTP/1.1 413 Payload Too Large", connection.Received, StringComparison.Ordinal);
        Assert.True(closedAt is not null, $"The proxy kept reading the chunked body after its 413; the client sent {connection.Sent} bytes.");
        Assert.True(connection.Sent > MaxMessageSize, "The 413 came before the body passed the maximum.");
    }

    [Fact]
    public async Task A_JSON_body_over_the_maximum_on_HTTP_2_is_answered_413_with_a_message()
    {
        using var http = new HttpClient { BaseAddress = fixture.Proxy.Address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var body = new ByteArrayContent(new byte[MaxMessageSize + 1]);
        body.Headers.ContentType = new("application/json");

        using var response = await http.PostAsync(new Uri("/cart/big/items/add", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var error = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"The body is larger than {MaxMessageSize} bytes.", error.RootElement.GetProperty("message").GetString());
        Assert.Equal((int)Grpc.Core.StatusCode.ResourceExhausted, error.RootElement.GetProperty("code").GetInt32());
    }
}
