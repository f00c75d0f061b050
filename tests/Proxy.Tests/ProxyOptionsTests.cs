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
