using System.Diagnostics;
using Cloudstate.Es.Proxy.Diagnostics;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Cloudstate.Es.TestModel;
using Grpc.Core;
using OpenTelemetry.Trace;
using StatusCode = Grpc.Core.StatusCode;

namespace Cloudstate.Es.Proxy.Tests.Diagnostics;

/// <summary>A command's trace through the proxy and into our Sdk, continuing the client's W3C trace context.</summary>
public sealed class TracingTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly List<Activity> spans = [];
    private readonly TemporaryDirectory data = new();
    private TracerProvider tracer = null!;
    private ModelUserFunction userFunction = null!;
    private ProxyServer proxy = null!;

    public async Task InitializeAsync()
    {
        // Proxy and user function run in this process: one provider records both sources (other tests' spans too,
        // which the trace id tells apart).
        tracer = OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddSource(ProxyTracing.SourceName, Cloudstate.Es.Sdk.SdkTracing.SourceName).AddInMemoryExporter(spans).Build()!;
        userFunction = await ModelUserFunction.StartAsync(register: c =>
            c.AddEventSourcedEntity<Samples.ShoppingCart.ShoppingCartEntity>(ShoppingCart.Descriptor, e => e.PersistenceId = "shopping-cart"));
        proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path);
    }

    public async Task DisposeAsync()
    {
        await proxy.DisposeAsync();
        await userFunction.DisposeAsync();
        tracer.Dispose();
        data.Dispose();
    }

    [Fact]
    public async Task A_command_with_a_traceparent_is_one_trace_through_front_end_entity_user_function_and_journal()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var clientSpan = ActivitySpanId.CreateRandom();
        var cart = new ShoppingCart.ShoppingCartClient(proxy.Channel);

        await cart.AddItemAsync(
            new AddLineItem { UserId = $"traced-{traceId}", ProductId = "apple", Name = "Apple", Quantity = 1 },
            new Grpc.Core.Metadata { { "traceparent", $"00-{traceId}-{clientSpan}-01" } });

        var trace = await TraceAsync(traceId, "com.example.shoppingcart.ShoppingCart/AddItem");
        var frontEnd = Single(trace, "com.example.shoppingcart.ShoppingCart/AddItem");
        var entity = Single(trace, "entity com.example.shoppingcart.ShoppingCart");
        var activate = Single(trace, "activate");
        var exchange = Single(trace, "user-function AddItem");
        var append = Single(trace, "journal append");
        var handler = Single(trace, "shopping-cart/AddItem");

        Assert.Equal((clientSpan, ActivityKind.Server), (frontEnd.ParentSpanId, frontEnd.Kind));
        Assert.Equal(frontEnd.SpanId, entity.ParentSpanId);
        Assert.Equal(entity.SpanId, activate.ParentSpanId);
        Assert.Equal(entity.SpanId, exchange.ParentSpanId);
        Assert.Equal(entity.SpanId, append.ParentSpanId);
        Assert.Equal(exchange.SpanId, handler.ParentSpanId);
        Assert.Equal(1, append.GetTagItem("cloudstate.events"));
        Assert.Equal($"traced-{traceId}", entity.GetTagItem("cloudstate.entity_key"));
    }

    [Fact]
    public async Task A_failed_command_s_span_carries_its_status()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var cart = new ShoppingCart.ShoppingCartClient(proxy.Channel);

        await Assert.ThrowsAsync<RpcException>(() => cart.AddItemAsync(
            new AddLineItem { UserId = $"traced-{traceId}", ProductId = "apple", Name = "Apple", Quantity = -1 },
            new Grpc.Core.Metadata { { "traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01" } }).ResponseAsync);

        var frontEnd = Single(await TraceAsync(traceId, "com.example.shoppingcart.ShoppingCart/AddItem"), "com.example.shoppingcart.ShoppingCart/AddItem");
        Assert.Equal(ActivityStatusCode.Error, frontEnd.Status);
        Assert.Equal((int)StatusCode.InvalidArgument, frontEnd.GetTagItem("rpc.grpc.status_code"));
        Assert.DoesNotContain(await TraceAsync(traceId, "com.example.shoppingcart.ShoppingCart/AddItem"), s => s.DisplayName == "journal append");
    }

    // The spans of the trace once its front-end span (the last to end) is exported.
    private async Task<List<Activity>> TraceAsync(ActivityTraceId traceId, string last)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            List<Activity> trace;
            lock (spans)
                trace = spans.Where(s => s.TraceId == traceId).ToList();
            if (trace.Any(s => s.DisplayName == last) || DateTime.UtcNow > deadline)
                return trace;
            await Task.Delay(20);
        }
    }

    private static Activity Single(List<Activity> trace, string name) =>
        Assert.Single(trace, s => s.DisplayName == name);
}
