using Cloudstate.Es.Tck.Model;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Cloudstate.Es.Tck.ModelCases;

/// <summary>The TCK model's names and the messages the model cases send or expect, in the words of tck_model.proto.</summary>
internal static class ModelMessages
{
    public const string EntityType = "cloudstate.eventsourced.EventSourced";
    public const string ModelService = "cloudstate.tck.model.EventSourcedTckModel";
    public const string TwoService = "cloudstate.tck.model.EventSourcedTwo";
    public const string ConfiguredService = "cloudstate.tck.model.EventSourcedConfigured";

    /// <summary>Every service of the model with the persistence id the model declares for it.</summary>
    public static IReadOnlyList<(string Service, string PersistenceId)> Services { get; } =
    [
        (ModelService, "event-sourced-tck-model"),
        (TwoService, "event-sourced-tck-model-2"),
        (ConfiguredService, "event-sourced-configured"),
    ];

    public static RequestAction Emit(string value) => new() { Emit = new Emit { Value = value } };

    public static RequestAction[] Emits(params string[] values) => [.. values.Select(Emit)];

    public static RequestAction ForwardTo(string id) => new() { Forward = new Forward { Id = id } };

    public static RequestAction EffectTo(string id, bool synchronous = false) => new() { Effect = new Effect { Id = id, Synchronous = synchronous } };

    public static RequestAction[] EffectsTo(params string[] ids) => [.. ids.Select(id => EffectTo(id))];

    public static RequestAction FailWith(string message) => new() { Fail = new Fail { Message = message } };

    public static Any Persisted(string value) => Any.Pack(new Model.Persisted { Value = value });

    /// <summary>The message in <paramref name="payload"/> when it is a <typeparamref name="T"/>, else null.</summary>
    public static T? Unpack<T>(Any? payload, MessageParser<T> parser, string fullName)
        where T : class, IMessage<T>
    {
        if (payload is null || Any.GetTypeName(payload.TypeUrl) != fullName)
        {
            return null;
        }

        try
        {
            return parser.ParseFrom(payload.Value);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>A Persisted payload as its quoted value, anything else as its type url.</summary>
    public static string DescribePersisted(Any? payload) =>
        Unpack(payload, Model.Persisted.Parser, Model.Persisted.Descriptor.FullName) is { } persisted
            ? Quote(persisted.Value)
            : DescribeOther(payload);

    /// <summary>A Request payload as <c>Request{id "x"}</c>, anything else as its type url.</summary>
    public static string DescribeRequest(Any? payload) =>
        Unpack(payload, Request.Parser, Request.Descriptor.FullName) is { } request
            ? $"Request{{id {Quote(request.Id)}{(request.Actions.Count > 0 ? $", {request.Actions.Count} actions" : "")}}}"
            : DescribeOther(payload);

    public static string Quote(string value) => $"\"{value}\"";

    public static string List(IEnumerable<string> items) => $"[{string.Join(", ", items)}]";

    private static string DescribeOther(Any? payload) => payload is null ? "no payload" : $"a payload of type {payload.TypeUrl}";
}
