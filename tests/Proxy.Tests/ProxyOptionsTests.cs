using Cloudstate.Es.Proxy.Configuration;

namespace Cloudstate.Es.Proxy.Tests;

public sealed class ProxyOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        new ProxyOptions().Validate();
    }

    [Fact]
    public void The_default_store_is_the_embedded_sqlite_following_the_data_directory()
    {
        var options = new ProxyOptions { DataDirectory = "cart-data" };

        Assert.Equal(new SqliteStoreSettings("embedded", "cart-data"), options.Store);
        options.Store = new InMemoryStoreSettings("demo");
        options.DataDirectory = "elsewhere";
        Assert.Equal(new InMemoryStoreSettings("demo"), options.Store);
    }

    [Theory]
    [InlineData("--host", "localhost")]
    [InlineData("--port", "70000")]
    [InlineData("--user-function", "0")]
    public void A_setting_out_of_range_is_refused_with_the_option_named(string option, string value)
    {
        var options = new ProxyOptions();
        switch (option)
        {
            case "--host": options.Host = value; break;
            case "--port": options.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            default: options.UserFunctionPort = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.StartsWith(option, error.Message, StringComparison.Ordinal);
    }
}

public sealed class ConnectionOptionsTests
{
    [Fact]
    public void The_defaults_bound_a_connection_s_opening_to_5_s_and_its_headers_as_Envoy_does()
    {
        var connections = new ProxyOptions().Connections;

        Assert.Equal(TimeSpan.FromSeconds(5), connections.HeaderTimeout);
        Assert.Equal(60 * 1024, connections.MaxHeadersSize);
        Assert.Equal(100, connections.MaxHeaderCount);
    }

    [Theory]
    [InlineData("--header-timeout")]
    [InlineData("--idle-timeout")]
    [InlineData("--max-headers-size")]
    [InlineData("--max-header-count")]
    public void A_connection_limit_out_of_range_is_refused_with_the_option_named(string option)
    {
        var options = new ProxyOptions();
        switch (option)
        {
            case "--header-timeout": options.Connections.HeaderTimeout = TimeSpan.Zero; break;
            case "--idle-timeout": options.Connections.IdleTimeout = TimeSpan.FromSeconds(-1); break;
            case "--max-headers-size": options.Connections.MaxHeadersSize = 10; break;
            default: options.Connections.MaxHeaderCount = 0; break;
        }

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.StartsWith(option, error.Message, StringComparison.Ordinal);
    }
}
