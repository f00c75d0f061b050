using Cloudstate.Es.Sdk.EventSourced;
using Cloudstate.Es.Sdk.Tests.Model;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Sdk.Tests;

/// <summary>The test model: the state is the concatenation of emitted values. Emitting "poison" breaks the event handler.</summary>
public sealed class ModelEntity : EventSourcedEntity<string>
{
    public static readonly ServiceDescriptor Service = ModelReflection.Descriptor.Services.Single(s => s.Name == "Model");
    public static readonly ServiceDescriptor TwoService = ModelReflection.Descriptor.Services.Single(s => s.Name == "Two");
    public const string Poison = "poison";

    public override string InitialState(string entityId) => "";

    public override void Define(EventSourcedBehavior<string> behavior) => behavior
        .Command<Request, Response>("Process", Process)
        .Event<Persisted>((state, persisted) => persisted.Value == Poison
            ? throw new InvalidOperationException("poisoned event")
            : state + persisted.Value)
        .Snapshot<Persisted>(state => new Persisted { Value = state }, snapshot => snapshot.Value);

    private static Response Process(string state, Request request, CommandContext<string> context)
    {
        var call = TwoService.FindMethodByName("Call");
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
                case RequestAction.ActionOneofCase.Fail when action.Fail.Message.StartsWith("throw:", StringComparison.Ordinal):
                    throw new InvalidOperationException(action.Fail.Message["throw:".Length..]);
                case RequestAction.ActionOneofCase.Fail:
                    context.Fail(action.Fail.Message);
                    break;
            }
        }

        return new Response { Message = context.State };
    }
}

/// <summary>A second entity service, the target of forwards and side effects.</summary>
public sealed class TwoEntity : EventSourcedEntity<string>
{
    public override string InitialState(string entityId) => "";

    public override void Define(EventSourcedBehavior<string> behavior) =>
        behavior.Command<Request, Response>("Call", (_, request, _) => new Response { Message = "two:" + request.Id });
}
