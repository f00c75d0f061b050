using Cloudstate.Es.Samples.Counter.Api;
using Cloudstate.Es.Samples.Counter.Domain;
using Cloudstate.Es.Sdk.EventSourced;

namespace Cloudstate.Es.Samples.Counter;

/// <summary>
/// The counter entity: Increment emits Incremented and answers the new value, GetCounter answers the value.
/// The state is a plain long, so what a load run measures is the proxy, not the entity.
/// </summary>
public sealed class CounterEntity : EventSourcedEntity<long>
{
    public override long InitialState(string entityId) => 0;

    public override void Define(EventSourcedBehavior<long> counter) => counter
        .Command<IncrementCounter, CounterValue>("Increment", Increment)
        .Command<GetCounter, CounterValue>("GetCounter", (value, _, _) => new CounterValue { Value = value })
        .Event<Incremented>((value, incremented) => value + incremented.By)
        .Snapshot<CounterState>(ToSnapshot, FromSnapshot);

    public static CounterState ToSnapshot(long value) => new() { Value = value };

    public static long FromSnapshot(CounterState snapshot) => snapshot?.Value ?? throw new ArgumentNullException(nameof(snapshot));

    internal static CounterValue Increment(long value, IncrementCounter command, CommandContext<long> context)
    {
        if (command.By <= 0)
        {
            context.Fail($"Cannot increment counter {command.CounterId} by {command.By}: the increment must be at least 1.");
        }

        context.Emit(new Incremented { By = command.By });
        return new CounterValue { Value = context.State };
    }
}
