using Cloudstate.Es.Sdk;
using Cloudstate.Es.Sdk.EventSourced;

namespace Cloudstate.Es.Tck.Model;

/// <summary>The TCK model (see tck_model.proto) written with our Sdk: the state is the concatenation of emitted values.</summary>
public sealed class TckModelEntity : EventSourcedEntity<string>
{
    public const string PersistenceId = "event-sourced-tck-model";

    public override string InitialState(string entityId) => "";

    public override void Define(EventSourcedBehavior<string> behavior) => behavior
        .Command<Request, Response>("Process", Process)
        .Event<Persisted>((state, persisted) => state + persisted.Value)
        .Snapshot<Persisted>(state => new Persisted { Value = state }, snapshot => snapshot.Value);

    private static Response Process(string state, Request request, CommandContext<string> context)
    {
        var call = EventSourcedTwo.Descriptor.FindMethodByName("Call");
        foreach (var action in request.Actions)
        {
            switch (action.ActionCase)
            {
                case RequestAction.ActionOneofCase.Emit:
                    context.Emit(new Persisted { Value = action.Emit.Value });
                    break;
                case RequestAction.ActionOneofCase.Forward:
                    context.Forward(ServiceCall.To(call, new Request { Id = action.Forward.Id }));
                    break;
                case RequestAction.ActionOneofCase.Effect:
                    context.Effect(ServiceCall.To(call, new Request { Id = action.Effect.Id }), action.Effect.Synchronous);
                    break;
                case RequestAction.ActionOneofCase.Fail:
                    context.Fail(action.Fail.Message);
                    break;
            }
        }

        return new Response { Message = context.State };
    }
}

/// <summary>EventSourcedTwo and EventSourcedConfigured: answer every call with an empty Response.</summary>
public sealed class TckEmptyEntity : EventSourcedEntity<string>
{
    public override string InitialState(string entityId) => "";

    public override void Define(EventSourcedBehavior<string> behavior) =>
        behavior.Command<Request, Response>("Call", (_, _, _) => new Response());
}
