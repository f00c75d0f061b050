using Cloudstate.Es.Proxy.Hosting;
using Xunit.Abstractions;

namespace Cloudstate.Es.Proxy.Tests.Connections;

/// <summary>Connections that never finish their opening are closed by the proxy within its header timeout.</summary>
public sealed class ConnectionTimeoutTests(HostileClientFixture fixture, ITestOutputHelper output) : IClassFixture<HostileClientFixture>
{
    // Kestrel checks its timeouts on a one-second heartbeat and gives one beat of grace, and the machine is shared.
    private static readonly TimeSpan HeaderTimeout = new ConnectionOptions().HeaderTimeout;
    private static readonly TimeSpan Deadline = HeaderTimeout + TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_connection_that_sends_nothing_is_closed_within_the_header_timeout()
    {
        using var connection = await RawConnection.OpenAsync(fixture.Proxy.Address);

        var closedAt = await connection.WaitForCloseAsync(Deadline);

        output.WriteLine($"idle connection closed after {closedAt?.TotalSeconds:F2} s");
        Assert.True(closedAt is not null, $"The proxy kept a silent connection open for {Deadline.TotalSeconds} s.");
    }

    [Fact]
    public async Task A_connection_that_sends_half_the_HTTP_2_preface_is_closed_within_the_header_timeout()
    {
        using var connection = await RawConnection.OpenAsync(fixture.Proxy.Address);
        await connection.SendAsync("PRI * HTTP/2.0\r\n");

        var closedAt = await connection.WaitForCloseAsync(Deadline);

        output.WriteLine($"half preface closed after {closedAt?.TotalSeconds:F2} s");
        Assert.True(closedAt is not null, $"The proxy kept a connection with half a preface open for {Deadline.TotalSeconds} s.");
    }

    [Fact]
    public async Task HTTP_1_1_headers_that_trickle_in_a_byte_a_second_are_cut_off_at_the_header_timeout()
    {
        using var connection = await RawConnection.OpenAsync(fixture.Proxy.Address);
        await connection.SendAsync("GET /carts/slow HTTP/1.1\r\nHost: proxy\r\n");

        // The client's pace is what is under test: one header byte a second, until the proxy hangs up or the deadline.
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await connection.WaitForCloseAsync(TimeSpan.Zero) is null && connection.Age.Elapsed < Deadline && await pace.WaitForNextTickAsync())
        {
            await connection.SendAsync("x");
        }

        var closedAt = await connection.WaitForCloseAsync(Deadline);

        output.WriteLine($"slow header closed after {closedAt?.TotalSeconds:F2} s; the proxy said: {FirstLine(connection.Received)}");
        Assert.True(closedAt is not null, $"The proxy kept a connection whose headers trickle in open for {Deadline.TotalSeconds} s.");
    }

    [Fact]
    public async Task A_keep_alive_connection_may_pause_between_requests_for_longer_than_the_header_timeout()
    {
        using var connection = await RawConnection.OpenAsync(fixture.Proxy.Address);
        await connection.SendAsync("GET /carts/pause HTTP/1.1\r\nHost: proxy\r\n\r\n");
        await connection.WaitForAsync(text => Count(text, "HTTP/1.1 200") == 1, Deadline);

        var closedAt = await connection.WaitForCloseAsync(connection.Age.Elapsed + Deadline);
        var answered = closedAt is null && await connection.SendAsync("GET /carts/pause HTTP/1.1\r\nHost: proxy\r\n\r\n")
            && await connection.WaitForAsync(text => Count(text, "HTTP/1.1 200") == 2, connection.Age.Elapsed + Deadline) is not null;

        Assert.True(answered, $"An idle keep-alive connection was closed after {closedAt?.TotalSeconds:F2} s; the proxy said: {connection.Received}");
    }

    private static int Count(string text, string what) => text.Split(what).Length - 1;

    private static string FirstLine(string text) => text.Split("\r\n", 2)[0];
}
