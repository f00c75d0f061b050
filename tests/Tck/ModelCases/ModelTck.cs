using Cloudstate.Es.Tck.Kit;

namespace Cloudstate.Es.Tck.ModelCases;

/// <summary>
/// The model family: the kit plays the proxy towards a user function serving the TCK model (tck_model.proto) and
/// checks every answer, so it checks the support library the user function is written with. The cases are those of
/// the published Cloudstate event-sourced TCK, plus a few protocol checks of our own.
/// </summary>
public static partial class ModelTck
{
    public const string Family = "model";

    public static IReadOnlyList<TckCase> Cases { get; } =
    [
        Case("discovery lists the three model services as event-sourced entities with their persistence ids", DiscoveryListsTheEntities),
        Case("discovery sends the descriptors of every entity service with their imports", DiscoverySendsDescriptors),
        Case("discovery names the support library in the service info", DiscoveryNamesTheSupportLibrary),
        Case("the configured entity declares a passivation timeout of 100 ms", ConfiguredEntityDeclaresPassivation),
        Case("a new entity replies with the empty state", NewEntityHasEmptyState),
        Case("a single emitted event is persisted and applied", SingleEvent),
        Case("several events emitted by one command are persisted in order", SeveralEventsInOneCommand),
        Case("events emitted across commands accumulate", EventsAcrossCommands),
        Case("the replies that bring the entity to 5 and to 10 events carry a snapshot", SnapshotsAtFiveAndTen),
        Case("a command whose events pass a multiple of 5 snapshots the state after all its events", SnapshotAfterAllEvents),
        Case("an initial snapshot restores the state", InitialSnapshot),
        Case("an initial snapshot followed by events restores the state", InitialSnapshotAndEvents),
        Case("replayed events restore the state and count toward the next snapshot", ReplayedEvents),
        Case("snapshots count from the sequence restored at init", SnapshotsCountFromInit),
        Case("an entity rehydrates after passivation from its snapshot and later events", RehydrationAfterPassivation),
        Case("the second service answers a call with an empty response", SecondServiceAnswers),
        Case("the configured service answers a call with an empty response", ConfiguredServiceAnswers),
        Case("a command can be forwarded to the second service", ForwardToSecondService),
        Case("a forward carries the events the command emitted", ForwardWithEvents),
        Case("a forward carries the command's events and the snapshot they bring", ForwardWithEventsAndSnapshot),
        Case("a reply can carry a side effect to the second service", ReplyWithSideEffect),
        Case("a side effect keeps its synchronous flag", SynchronousSideEffect),
        Case("a forward can carry a side effect", ForwardWithSideEffect),
        Case("a reply can carry several side effects in order", SeveralSideEffects),
        Case("a reply can carry side effects, events and a snapshot together", SideEffectsEventsAndSnapshot),
        Case("a failure reaches the proxy with its message and command id", FailureAction),
        Case("the stream stays usable after a failure", StreamUsableAfterFailure),
        Case("a failure discards the events the command emitted (a restart may be requested)", FailureDiscardsEvents),
        Case("a failure suppresses the side effects the command asked for", FailureSuppressesSideEffects),
        Case("a command for a method the entity lacks fails the stream", UnknownCommandFailsTheStream),
        Case("an init for a service the user function does not serve fails the stream", UnknownServiceFailsTheStream),
    ];

    private static TckCase Case(string name, Func<ModelEntity, Task> run) =>
        new(Family, name, (target, cancellationToken) => run(new ModelEntity(target, $"tck-{Guid.NewGuid():N}"[..12], cancellationToken)));
}
