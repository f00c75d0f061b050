using System.Collections.Concurrent;
using Cloudstate.Es.Sdk;
using Cloudstate.Es.Sdk.EventSourced;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.TestModel;

/// <summary>
/// The test model: each request lists actions (emit, forward, effect, fail) and the reply carries the state, the
/// concatenation of emitted values. Emitting "poison" breaks the event handler; a failure message "throw:..." throws.
/// </summary>
public sealed class ModelEntity(ActivationLog activations) : EventSourcedEntity<string>
{
    public const string Poison = "poison";

    public static ServiceDescriptor Service => Model.Descriptor;

    public static ServiceDescriptor TwoService => Two.Descriptor;

    public override string InitialState(string entityId)
    {
        activations.Record(entityId, "initial");
        return "";
    }

    public override void Define(EventSourcedBehavior<string> behavior) => behavior
        .Command<Request, Response>("Process", Process)
        .Event<Persisted>((state, persisted) => persisted.Value == Poison
            ? throw new InvalidOperationException("poisoned event")
            : state + persisted.Value)
        .Snapshot<Persisted>(state => new Persisted { Value = state }, snapshot =>
        {
            activations.Record(snapshot.Value, "snapshot");
            return snapshot.Value;
        });

    private static Response Process(string state, Request request, CommandContext<string> context)
    {
        var call = Two.Descriptor.FindMethodByName("Call");
        foreach (var action in request.Actions)
        {
            switch (action.ActionCase)
            {
                case RequestAction.ActionOneofCase.Emit:
                    context.Emit(new Persisted { Value = action.Emit.Value });
                    break;
                case RequestAction.ActionOneofCase.Forward:
                    // The forward carries metadata of its own, which Two echoes (see MetadataEcho).
                    context.Forward(ServiceCall.To(call, new Request { Id = action.Forward.Id }, new Metadata().Add("x-echo-forwarded", action.Forward.Id)));
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

/// <summary>A second entity service, the target of forwards and side effects; it remembers every call it got and answers its metadata as <see cref="MetadataEcho"/> says.</summary>
public sealed class TwoEntity(ActivationLog calls) : EventSourcedEntity<string>
{
    public override string InitialState(string entityId) => "";

    public override void Define(EventSourcedBehavior<string> behavior) =>
        behavior.Command<Request, Response>("Call", (_, request, context) =>
        {
            calls.Record(request.Id, "two");
            MetadataEcho.Answer(context);
            return new Response { Message = "two:" + request.Id };
        });
}

/// <summary>What happened to which entity, in order: activations from scratch or from a snapshot, calls to Two.</summary>
public sealed class ActivationLog
{
    private readonly ConcurrentQueue<(string Key, string What)> entries = new();

    public void Record(string key, string what) => entries.Enqueue((key, what));

    public int Count(string key, string what) => entries.Count(e => e.Key == key && e.What == what);
}
