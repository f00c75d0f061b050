using System.Diagnostics;
using Cloudstate.Es.Proxy.Diagnostics;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Cloudstate.Es.TestModel;
using Grpc.Core;
using OpenTelemetry.Trace;
using StatusCode = Grpc.Core.StatusCode;

namespace Cloudstate.Es.Proxy.Tests.Diagnostics;

/// <summary>
/// Tracing's listener is the process's: while it records, every proxy in the process makes spans and puts their context
/// into the metadata it sends. These tests run alone, so that no other test sees a traceparent it did not send.
/// </summary>
[CollectionDefinition(nameof(TracingTests), DisableParallelization = true)]
public sealed class TracingCollection;

/// <summary>A command's trace through the proxy and into our Sdk, continuing the client's W3C trace context.</summary>
[Collection(nameof(TracingTests))]
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

    [Fact]
    public async Task A_forward_and_a_side_effect_stay_in_the_command_s_trace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var model = new Model.ModelClient(proxy.Channel);
        var front = $"{ModelEntity.Service.FullName}/Process";

        await model.ProcessAsync(
            ModelRequests.Of($"traced-{traceId}", ModelRequests.Effect($"effect-{traceId}", synchronous: true), ModelRequests.Forward($"forward-{traceId}")),
            new Grpc.Core.Metadata { { "traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01" } });

        var trace = await TraceAsync(traceId, front);
        var frontEnd = Single(trace, front);
        var twos = trace.Where(s => s.DisplayName == $"entity {ModelEntity.TwoService.FullName}").ToList();
        Assert.Equal(2, twos.Count);
        Assert.All(twos, two => Assert.Equal(frontEnd.SpanId, two.ParentSpanId));
        Assert.Equal(
            [$"effect-{traceId}", $"forward-{traceId}"],
            twos.Select(two => (string)two.GetTagItem("cloudstate.entity_key")!).Order());
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
