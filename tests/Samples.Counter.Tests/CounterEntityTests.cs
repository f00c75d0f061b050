using Cloudstate.Es.Samples.Counter.Api;
using Cloudstate.Es.Samples.Counter.Domain;
using Cloudstate.Es.Sdk.Testing;
using Google.Protobuf;
using ApiService = Cloudstate.Es.Samples.Counter.Api.Counter;

namespace Cloudstate.Es.Samples.Counter.Tests;

public sealed class CounterEntityTests
{
    private readonly EventSourcedTestKit<long> counter = new(new CounterEntity(), ApiService.Descriptor, "c1");

    private Task<CommandOutcome> Increment(long by) =>
        counter.HandleAsync("Increment", new IncrementCounter { CounterId = "c1", By = by });

    private async Task<long> Get() => ((CounterValue)(await counter.HandleAsync("GetCounter", new GetCounter { CounterId = "c1" })).Reply!).Value;

    [Fact]
    public async Task A_new_counter_is_zero()
    {
        Assert.Equal(0, await Get());
    }

    [Fact]
    public async Task Incrementing_emits_Incremented_and_answers_the_new_value()
    {
        await Increment(2);

        var outcome = await Increment(3);

        Assert.Equal(3, Assert.IsType<Incremented>(Assert.Single(outcome.Events)).By);
        Assert.Equal(5, Assert.IsType<CounterValue>(outcome.Reply).Value);
        Assert.Equal(5, await Get());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    public async Task Incrementing_by_less_than_one_fails_with_a_clear_message_and_no_event(long by)
    {
        var outcome = await Increment(by);

        Assert.Equal($"Cannot increment counter c1 by {by}: the increment must be at least 1.", outcome.Failure);
        Assert.Empty(outcome.Events);
        Assert.Empty(counter.Events);
        Assert.Equal(0, await Get());
    }

    [Fact]
    public async Task Replaying_the_events_rebuilds_the_same_value()
    {
        await Increment(1);
        await Increment(10);
        await Increment(100);

        counter.Restart();

        Assert.Equal(111, await Get());
    }

    [Fact]
    public async Task The_hundredth_event_offers_a_snapshot_that_restores_the_value()
    {
        CommandOutcome? outcome = null;
        for (var i = 0; i < 100; i++)
            outcome = await Increment(2);

        var offered = Assert.IsType<CounterState>(outcome!.Snapshot);
        var restored = CounterEntity.FromSnapshot(CounterState.Parser.ParseFrom(offered.ToByteArray()));

        Assert.Equal(200, restored);
    }

    [Fact]
    public async Task Events_before_the_hundredth_offer_no_snapshot()
    {
        var outcome = await Increment(1);

        Assert.Null(outcome.Snapshot);
    }
}
