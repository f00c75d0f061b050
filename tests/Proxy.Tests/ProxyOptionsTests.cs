using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Proxy.Storage;

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
        var options = new StoreOptions { DataDirectory = "cart-data" };

        Assert.Equal(new SqliteStoreSettings("embedded", "cart-data"), options.Settings);
        options.Settings = new InMemoryStoreSettings("demo");
        options.DataDirectory = "elsewhere";
        Assert.Equal(new InMemoryStoreSettings("demo"), options.Settings);
    }

    [Theory]
    [InlineData("--host")]
    [InlineData("--port")]
    [InlineData("--max-message-size")]
    [InlineData("--max-key-length")]
    [InlineData("--user-function")]
    [InlineData("--command-timeout")]
    [InlineData("--passivation-timeout")]
    [InlineData("--max-active-entities")]
    [InlineData("--max-queued-commands")]
    [InlineData("--snapshot-every")]
    [InlineData("--data")]
    public void A_setting_out_of_range_in_any_part_is_refused_with_the_option_named(string option)
    {
        var options = new ProxyOptions();
        Action<ProxyOptions> spoil = option switch
        {
            "--host" => o => o.Frontend.Host = "localhost",
            "--port" => o => o.Frontend.Port = 70000,
            "--max-message-size" => o => o.Frontend.MaxMessageSize = 0,
            "--max-key-length" => o => o.Frontend.MaxEntityKeyLength = -1,
            "--user-function" => o => o.UserFunction.Port = 0,
            "--command-timeout" => o => o.Entities.CommandTimeout = TimeSpan.Zero,
            "--passivation-timeout" => o => o.Entities.PassivationTimeout = TimeSpan.FromSeconds(-1),
            "--max-active-entities" => o => o.Entities.MaxActiveEntities = 0,
            "--max-queued-commands" => o => o.Entities.MaxQueuedCommands = -1,
            "--snapshot-every" => o => o.Entities.SnapshotEvery = -2,
            _ => o => o.Store.DataDirectory = " ",
        };
        spoil(options);

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.StartsWith(option, error.Message, StringComparison.Ordinal);
        Assert.Single(error.Message.Split(Environment.NewLine));
    }

    [Fact]
    public void Mistakes_in_several_parts_get_a_line_each_in_the_order_of_the_parts()
    {
        var options = new ProxyOptions
        {
            UserFunction = { Host = "" },
            Frontend = { Port = -1, Connections = { MaxHeaderCount = 0 } },
            Entities = { MaxActiveEntities = 0 },
            Cluster = { JoinTimeout = TimeSpan.Zero },
        };

        var lines = Assert.Throws<ArgumentException>(options.Validate).Message.Split(Environment.NewLine);

        Assert.Equal(["--user-function", "--port", "--max-header-count", "--max-active-entities", "--join-timeout"], lines.Select(l => l.Split(' ', ':')[0]));
    }
}

public sealed class ConnectionOptionsTests
{
    [Fact]
    public void The_defaults_bound_a_connection_s_opening_to_5_s_and_its_headers_as_Envoy_does()
    {
        var connections = new FrontendOptions().Connections;

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
            case "--header-timeout": options.Frontend.Connections.HeaderTimeout = TimeSpan.Zero; break;
            case "--idle-timeout": options.Frontend.Connections.IdleTimeout = TimeSpan.FromSeconds(-1); break;
            case "--max-headers-size": options.Frontend.Connections.MaxHeadersSize = 10; break;
            default: options.Frontend.Connections.MaxHeaderCount = 0; break;
        }

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.StartsWith(option, error.Message, StringComparison.Ordinal);
    }
}
