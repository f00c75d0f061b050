using System.Net;
using System.Text;
using System.Text.Json;
using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.Tck.Interception;
using Cloudstate.Es.Tck.Kit;
using Cloudstate.Es.Tck.Model;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;

namespace Cloudstate.Es.Tck.ProxyCases;

/// <summary>
/// The proxy family: the kit is the proxy's client (gRPC and HTTP) and checks, through the interceptor, the exact
/// protocol traffic the proxy has with the user function. Every case uses entity ids of its own.
/// </summary>
public static class ProxyTck
{
    public const string Family = "proxy";

    private const string ModelService = "cloudstate.tck.model.EventSourcedTckModel";
    private const string TwoService = "cloudstate.tck.model.EventSourcedTwo";
    private const string ConfiguredService = "cloudstate.tck.model.EventSourcedConfigured";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    public static IReadOnlyList<TckCase> Cases { get; } =
    [
        Case("the proxy discovers the user function, saying it speaks protocol 0.2", Discovery),
        Case("a command opens one entity stream: init for the entity, then the command with id 1", FirstCommand),
        Case("later commands go on the same stream with ids 2, 3", LaterCommands),
        Case("the reply that brings the entity to 5 events carries the snapshot of its state", SnapshotThroughProxy),
        Case("a forward is followed: EventSourcedTwo gets its own entity stream and its reply reaches the client", Forward),
        Case("a synchronous side effect reaches EventSourcedTwo before the client has its reply", SynchronousEffect),
        Case("an asynchronous side effect reaches EventSourcedTwo", AsynchronousEffect),
        Case("a failure reaches a gRPC client as UNKNOWN with its message, and its events are not kept", FailureOverGrpc),
        Case("a failure reaches an HTTP client as 500 with its message", FailureOverHttp),
        Case("a failure with restart=true makes the proxy replay the entity from the journal on a new stream, command ids from 1 again", Restart),
        Case("the HTTP API serves the model's google.api.http route", HttpApi),
        Case("a method without an HTTP rule is served on POST /package.Service/Method", HttpDefaultRoute),
        Case("an entity with a 100 ms passivation timeout is passivated within 2 s", Passivation),
        Case("server reflection lists the model's services", Reflection),
    ];

    private static TckCase Case(string name, Func<Context, Task> run) =>
        new(Family, name, async (target, cancellationToken) =>
        {
            using var context = new Context(target, cancellationToken);
            await run(context);
        });

    private static async Task Discovery(Context c)
    {
        var info = c.Traffic.Discovery.OfType<ProxyInfo>().FirstOrDefault()
            ?? throw new TckFailure("the proxy never called discover through the interceptor (was it started with the interceptor as its user function?)");
        Expect(info.ProtocolMajorVersion == 0 && info.ProtocolMinorVersion == 2, $"protocol 0.2 in ProxyInfo, got {info.ProtocolMajorVersion}.{info.ProtocolMinorVersion}");
        Expect(info.SupportedEntityTypes.Contains("cloudstate.eventsourced.EventSourced"), $"cloudstate.eventsourced.EventSourced among the supported entity types, got [{string.Join(", ", info.SupportedEntityTypes)}]");
        Expect(c.Traffic.Discovery.OfType<EntitySpec>().Any(), "the user function's EntitySpec to pass through the interceptor");
        await Task.CompletedTask;
    }

    private static async Task FirstCommand(Context c)
    {
        var id = c.NewId();
        var reply = await c.Model.ProcessAsync(Request(id, Emit("A")));
        Expect(reply.Message == "A", $"reply \"A\", got \"{reply.Message}\"");

        var stream = await c.Traffic.StreamAsync(ModelService, id, Wait);
        var sent = stream.Messages.Where(m => m.Direction == Direction.ToUserFunction).Select(m => (EventSourcedStreamIn)m.Message).ToArray();
        Expect(sent.Length >= 2 && sent[0].MessageCase == EventSourcedStreamIn.MessageOneofCase.Init, $"init first on the stream, got {stream}");
        Expect(sent[0].Init.Snapshot is null, $"no snapshot in the init of a new entity, got {sent[0].Init}");
        var command = sent[1].Command;
        Expect(command is { Id: 1, Name: "Process", EntityId: var e } && e == id, $"command 1 Process for {id}, got {sent[1]}");
        Expect(command.Payload.TypeUrl.EndsWith("/cloudstate.tck.model.Request", StringComparison.Ordinal), $"a Request payload, got {command.Payload.TypeUrl}");
        var answer = stream.Replies.Single();
        Expect(answer.Reply is { CommandId: 1 } r && r.Events.Count == 1 && r.Events[0].Unpack<Persisted>().Value == "A", $"the reply to command 1 with the event Persisted(A), got {answer}");
    }

    private static async Task LaterCommands(Context c)
    {
        var id = c.NewId();
        await c.Model.ProcessAsync(Request(id, Emit("A")));
        await c.Model.ProcessAsync(Request(id, Emit("B")));
        var third = await c.Model.ProcessAsync(Request(id));

        Expect(third.Message == "AB", $"state \"AB\" after two emits, got \"{third.Message}\"");
        var streams = c.Traffic.Streams.Where(s => s.ServiceName == ModelService && s.EntityId == id).ToArray();
        Expect(streams.Length == 1, $"one stream for the entity, got {streams.Length}");
        var ids = streams[0].Commands.Select(m => m.Id).ToArray();
        Expect(ids.SequenceEqual([1L, 2L, 3L]), $"command ids 1, 2, 3, got {string.Join(", ", ids)}");
    }

    private static async Task SnapshotThroughProxy(Context c)
    {
        var id = c.NewId();
        await c.Model.ProcessAsync(Request(id, Emit("A"), Emit("B"), Emit("C"), Emit("D"), Emit("E")));
        var stream = await c.Traffic.StreamAsync(ModelService, id, Wait);
        var reply = stream.Replies.Single().Reply;
        Expect(reply.Snapshot is { } s && s.Unpack<Persisted>().Value == "ABCDE", $"a snapshot Persisted(ABCDE) in the reply to the fifth event, got {reply}");
    }

    private static async Task Forward(Context c)
    {
        var (id, other) = (c.NewId(), c.NewId());
        var reply = await c.Model.ProcessAsync(Request(id, new RequestAction { Forward = new Model.Forward { Id = other } }));

        Expect(reply.Message == "", $"EventSourcedTwo's empty Response, got \"{reply.Message}\"");
        var modelStream = await c.Traffic.StreamAsync(ModelService, id, Wait);
        Expect(modelStream.Replies.Single().Reply.ClientAction?.Forward is { ServiceName: TwoService, CommandName: "Call" }, $"a forward to {TwoService}/Call, got {modelStream}");
        var two = await c.Traffic.StreamAsync(TwoService, other, Wait);
        Expect(two.Commands.SingleOrDefault() is { Name: "Call" } call && call.Payload.Unpack<Request>().Id == other, $"EventSourcedTwo/{other} to get Call(Request{{id: {other}}}), got {two}");
    }

    private static async Task SynchronousEffect(Context c)
    {
        var (id, other) = (c.NewId(), c.NewId());
        await c.Model.ProcessAsync(Request(id, Emit("A"), new RequestAction { Effect = new Effect { Id = other, Synchronous = true } }));

        // The reply came back, so a synchronous effect must already have been answered.
        var two = c.Traffic.Streams.FirstOrDefault(s => s.ServiceName == TwoService && s.EntityId == other);
        Expect(two is not null && two.Replies.Count == 1, $"EventSourcedTwo/{other} to have answered Call before the client's reply, got {(object?)two ?? "no stream"}");
        var modelStream = await c.Traffic.StreamAsync(ModelService, id, Wait);
        var effect = modelStream.Replies.Single().Reply.SideEffects.SingleOrDefault();
        Expect(effect is { ServiceName: TwoService, CommandName: "Call", Synchronous: true }, $"one synchronous side effect to {TwoService}/Call, got {modelStream}");
    }

    private static async Task AsynchronousEffect(Context c)
    {
        var (id, other) = (c.NewId(), c.NewId());
        await c.Model.ProcessAsync(Request(id, new RequestAction { Effect = new Effect { Id = other } }));

        var two = await c.Traffic.StreamAsync(TwoService, other, Wait);
        await c.Traffic.UntilAsync(() => two.Replies.Count == 1 ? two : null, Wait, $"EventSourcedTwo/{other} to answer the side effect");
    }

    private static async Task FailureOverGrpc(Context c)
    {
        var id = c.NewId();
        await c.Model.ProcessAsync(Request(id, Emit("A")));
        var failure = await ExpectRpcException(() => c.Model.ProcessAsync(Request(id, Emit("B"), new RequestAction { Fail = new Fail { Message = "expected failure" } })).ResponseAsync);
        var after = await c.Model.ProcessAsync(Request(id));

        Expect(failure is { StatusCode: StatusCode.Unknown } && failure.Status.Detail == "expected failure", $"UNKNOWN \"expected failure\", got {failure.StatusCode} \"{failure.Status.Detail}\"");
        Expect(after.Message == "A", $"state \"A\" after the failed command, got \"{after.Message}\"");
    }

    private static async Task Restart(Context c)
    {
        var id = c.NewId();
        await c.Model.ProcessAsync(Request(id, Emit("A")));
        c.Traffic.RestartOnNextReply(ModelService, id);
        var failure = await ExpectRpcException(() => c.Model.ProcessAsync(Request(id, Emit("B"))).ResponseAsync);
        var after = await c.Model.ProcessAsync(Request(id, Emit("C")));

        Expect(failure.StatusCode == StatusCode.Unknown && failure.Status.Detail == "restart requested by the TCK", $"UNKNOWN \"restart requested by the TCK\", got {failure.StatusCode} \"{failure.Status.Detail}\"");
        Expect(after.Message == "AC", $"state \"AC\" (B was refused), got \"{after.Message}\"");
        var streams = c.Traffic.Streams.Where(s => s.ServiceName == ModelService && s.EntityId == id).ToArray();
        Expect(streams.Length == 2, $"a second stream after the restart, got {streams.Length}");
        var replayed = streams[1].Messages.Where(m => m.Direction == Direction.ToUserFunction).Select(m => (EventSourcedStreamIn)m.Message).ToArray();
        Expect(
            replayed.Length == 3 && replayed[0].Init is not null
            && replayed[1].Event is { Sequence: 1 } e && e.Payload.Unpack<Persisted>().Value == "A"
            && replayed[2].Command is { Id: 1 },
            $"init, the journal's event 1 (A), then command 1 on the new stream, got {streams[1]}");
    }

    private static async Task FailureOverHttp(Context c)
    {
        var (status, body) = await c.PostAsync($"/tck/model/eventsourced/{c.NewId()}", """{"actions":[{"fail":{"message":"expected failure"}}]}""");
        Expect(status == HttpStatusCode.InternalServerError && body.Contains("expected failure", StringComparison.Ordinal), $"500 with \"expected failure\", got {(int)status} \"{body}\"");
    }

    private static async Task HttpApi(Context c)
    {
        var id = c.NewId();
        await c.PostAsync($"/tck/model/eventsourced/{id}", """{"actions":[{"emit":{"value":"A"}}]}""");
        var (status, body) = await c.PostAsync($"/tck/model/eventsourced/{id}", """{"actions":[{"emit":{"value":"B"}}]}""");
        Expect(status == HttpStatusCode.OK && JsonDocument.Parse(body).RootElement.GetProperty("message").GetString() == "AB", $"200 {{\"message\": \"AB\"}}, got {(int)status} {body}");
    }

    private static async Task HttpDefaultRoute(Context c)
    {
        var (status, body) = await c.PostAsync($"/{TwoService}/Call", $$"""{"id":"{{c.NewId()}}"}""");
        Expect(status == HttpStatusCode.OK && JsonDocument.Parse(body).RootElement.ValueKind == JsonValueKind.Object, $"200 with an empty Response, got {(int)status} {body}");
    }

    private static async Task Passivation(Context c)
    {
        // A proxy can only honour a timeout the user function declared; say so rather than blame the proxy.
        var configured = c.Traffic.Discovery.OfType<EntitySpec>().LastOrDefault()?.Entities.FirstOrDefault(e => e.ServiceName == ConfiguredService);
        if (configured?.PassivationStrategy?.Timeout is not { Timeout: > 0 })
        {
            throw new TckFailure(
                $"cannot pass with this user function: it declares no passivation timeout for {ConfiguredService} " +
                $"(its support library, {c.Traffic.Discovery.OfType<EntitySpec>().LastOrDefault()?.ServiceInfo?.SupportLibraryName ?? "unknown"}, may predate protocol 0.2's passivation strategy)");
        }

        var id = c.NewId();
        await new EventSourcedConfigured.EventSourcedConfiguredClient(c.Channel).CallAsync(new Request { Id = id });
        var stream = await c.Traffic.StreamAsync(ConfiguredService, id, Wait);
        await c.Traffic.UntilAsync(() => stream.Closed ? stream : null, TimeSpan.FromSeconds(2), $"{ConfiguredService}/{id} to be passivated (its stream closed)");
    }

    private static async Task Reflection(Context c)
    {
        using var call = new ServerReflection.ServerReflectionClient(c.Channel).ServerReflectionInfo(cancellationToken: c.CancellationToken);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Expect(await call.ResponseStream.MoveNext(c.CancellationToken), "an answer to ListServices");
        var services = call.ResponseStream.Current.ListServicesResponse?.Service.Select(s => s.Name).ToArray() ?? [];
        Expect(new[] { ModelService, TwoService, ConfiguredService }.All(services.Contains), $"the three model services listed, got [{string.Join(", ", services)}]");
    }

    private static Request Request(string id, params RequestAction[] actions) => new() { Id = id, Actions = { actions } };

    private static RequestAction Emit(string value) => new() { Emit = new Emit { Value = value } };

    private static void Expect(bool holds, string expectation)
    {
        if (!holds)
            throw new TckFailure("expected " + expectation);
    }

    private static async Task<RpcException> ExpectRpcException(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException e)
        {
            return e;
        }

        throw new TckFailure("expected the call to fail, it succeeded");
    }

    /// <summary>Clients of the proxy for one case.</summary>
    private sealed class Context : IDisposable
    {
        private readonly HttpClient http;

        public Context(TckTarget target, CancellationToken cancellationToken)
        {
            var proxy = target.Proxy ?? throw new TckFailure("the proxy family needs --proxy");
            Traffic = target.Traffic ?? throw new TckFailure("the proxy family needs the interceptor's traffic");
            CancellationToken = cancellationToken;
            Channel = GrpcChannel.ForAddress($"http://{proxy}");
            Model = new EventSourcedTckModel.EventSourcedTckModelClient(Channel);
            http = new HttpClient { BaseAddress = new Uri($"http://{proxy}") };
        }

        public TrafficLog Traffic { get; }

        public CancellationToken CancellationToken { get; }

        public GrpcChannel Channel { get; }

        public EventSourcedTckModel.EventSourcedTckModelClient Model { get; }

        public string NewId() => "tck-" + Guid.NewGuid().ToString("N")[..12];

        public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string json)
        {
            using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), CancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(CancellationToken));
        }

        public void Dispose()
        {
            http.Dispose();
            Channel.Dispose();
        }
    }
}
