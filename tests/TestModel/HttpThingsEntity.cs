using Cloudstate.Es.Sdk;
using Cloudstate.Es.Sdk.EventSourced;
using Cloudstate.Es.TestModel.Http;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Cloudstate.Es.TestModel;

/// <summary>
/// The HTTP test entity: every method records itself as an event and echoes the request it got with the methods called
/// so far, and answers its metadata as <see cref="MetadataEcho"/> says. A thing named "fail" is refused with a user failure;
/// one named "fail:N" with a failure of gRPC status N.
/// </summary>
public sealed class HttpThingsEntity : EventSourcedEntity<IReadOnlyList<string>>
{
    public static ServiceDescriptor Service => Things.Descriptor;

    public override IReadOnlyList<string> InitialState(string entityId) => [];

    public override void Define(EventSourcedBehavior<IReadOnlyList<string>> behavior)
    {
        foreach (var method in Things.Descriptor.Methods)
            behavior.Command<Thing, Echo>(method.Name, (state, thing, context) => Handle(method.Name, thing, context));
        behavior.Event<Happened>((state, happened) => [.. state, happened.Method]);
    }

    private static Echo Handle(string method, Thing thing, CommandContext<IReadOnlyList<string>> context)
    {
        if (thing.Name == "fail")
            context.Fail($"{method} refuses thing {thing.Id}");
        if (thing.Name.StartsWith("fail:", StringComparison.Ordinal))
            context.Fail($"{method} refuses thing {thing.Id} with status {thing.Name[5..]}", (StatusCode)int.Parse(thing.Name[5..], System.Globalization.CultureInfo.InvariantCulture));
        context.Emit(new Happened { Method = method });
        MetadataEcho.Answer(context);
        return new Echo { Request = thing, Method = method, History = { context.State } };
    }
}
