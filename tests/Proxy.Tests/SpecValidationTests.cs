using Cloudstate.Es.Protocol;
using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Proxy.Tests.Scripted;
using Cloudstate.Es.Proxy.UserFunction;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>Discovery refuses a spec it cannot serve, and tells the user function which method or service is at fault.</summary>
public sealed class SpecValidationTests : IAsyncLifetime
{
    private readonly TemporaryDirectory data = new();
    private ScriptedUserFunction userFunction = null!;
    private UserFunctionChannel? channel;

    public async Task InitializeAsync() => userFunction = await ScriptedUserFunction.StartAsync();

    public async Task DisposeAsync()
    {
        channel?.Dispose();
        await userFunction.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task A_method_whose_input_has_no_entity_key_is_refused_and_reported_by_its_name()
    {
        var error = await RefusedAsync(BadSpecs.MethodInputWithoutEntityKey());

        Assert.Contains("bad.Bad.Do", error, StringComparison.Ordinal);
        Assert.Contains("bad.NoKey", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_streamed_method_is_refused_and_reported_by_its_name()
    {
        var error = await RefusedAsync(BadSpecs.StreamedMethod());

        Assert.Contains("bad.Streamy.Watch", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_entity_type_is_refused_and_reported_with_its_service()
    {
        var error = await RefusedAsync(BadSpecs.UnknownEntityType("cloudstate.crdt.Crdt"));

        Assert.Contains("cloudstate.crdt.Crdt", error, StringComparison.Ordinal);
        Assert.Contains("cloudstate.es.tests.model.Model", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_missing_from_the_descriptors_is_refused_and_reported_by_its_name()
    {
        var error = await RefusedAsync(BadSpecs.ServiceNotInDescriptors("cloudstate.es.tests.model.Missing"));

        Assert.Contains("cloudstate.es.tests.model.Missing", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_spec_builds_the_proxy_and_reports_nothing()
    {
        await using var app = await BuildAsync(ScriptedUserFunction.ModelSpec());

        Assert.NotNull(app);
        Assert.Empty(userFunction.ReportedErrors);
    }

    /// <summary>Builds the proxy against <paramref name="spec"/>, asserts it refused, and returns the one error it reported.</summary>
    private async Task<string> RefusedAsync(EntitySpec spec)
    {
        await using var app = await BuildAsync(spec);

        Assert.Null(app);
        return Assert.Single(userFunction.ReportedErrors);
    }

    private async Task<WebApplication?> BuildAsync(EntitySpec spec)
    {
        userFunction.Spec = spec;
        var options = ProxyServer.CreateOptions(userFunction.Address, data.Path);
        channel = new UserFunctionChannel(options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await ProxyHost.BuildAsync(options, channel, timeout.Token, builder => builder.Logging.ClearProviders());
    }
}
