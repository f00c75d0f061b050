using Akka.Actor;
using Akka.Persistence;

namespace Cloudstate.Es.Benchmarks.AkkaPeer;

/// <summary>The counter entity of the benchmarks as an Akka.Persistence actor: one event per command, state rebuilt by replay.</summary>
public sealed class CounterEntity : ReceivePersistentActor
{
    private readonly TaskCompletionSource<Recovered>? _recovered;
    private long _value;

    public CounterEntity(string persistenceId, TaskCompletionSource<Recovered>? recovered)
    {
        PersistenceId = persistenceId;
        _recovered = recovered;

        Recover<Incremented>(Apply);
        Recover<RecoveryCompleted>(_ => _recovered?.TrySetResult(new Recovered(_value, LastSequenceNr)));

        Command<Increment>(command =>
        {
            var sender = Sender;
            Persist(new Incremented(command.By), persisted =>
            {
                Apply(persisted);
                sender.Tell(_value);
            });
        });
        Command<Fill>(fill => FillChunk(fill, Sender));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, TaskCompletionSource<Recovered>? recovered = null) =>
        Akka.Actor.Props.Create(() => new CounterEntity(persistenceId, recovered));

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _recovered?.TrySetException(reason);
        base.OnRecoveryFailure(reason, message);
    }

    private void Apply(Incremented incremented) => _value += incremented.By;

    // One PersistAll per chunk is one AtomicWrite, which the SQL journal writes as one batch; the next chunk
    // starts when the previous one is stored, so memory stays bounded whatever the number of events.
    private void FillChunk(Fill fill, IActorRef requester)
    {
        var size = Math.Min(fill.Events, fill.Chunk);
        PersistAll(Enumerable.Repeat(new Incremented(1), size), Apply, () =>
        {
            var rest = fill.Events - size;
            if (rest > 0)
                FillChunk(fill with { Events = rest }, requester);
            else
                requester.Tell(new Filled(_value, LastSequenceNr));
        });
    }
}
