using System.Collections.Concurrent;
using System.Net;
using Cloudstate.Es.Protocol;
using Cloudstate.Es.Proxy.Tests.Scripted;
using Cloudstate.Es.TestModel;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>
/// A user function that speaks the raw protocol and can be told to misbehave: it serves the model (the state is the
/// concatenation of emitted values) and turns <c>Fail</c> actions into protocol failures (see <see cref="ScriptedEventSourced"/>).
/// It records the errors the proxy reports and, per entity, the command ids of every stream the proxy opened.
/// </summary>
internal sealed class ScriptedUserFunction : IAsyncDisposable
{
    public const string PersistenceId = "scripted";

    private readonly ConcurrentQueue<string> reportedErrors = new();
    private readonly Dictionary<string, List<List<long>>> streams = new(StringComparer.Ordinal);
    private WebApplication? app;

    private ScriptedUserFunction(EntitySpec spec) => Spec = spec;

    /// <summary>host:port the user function listens on.</summary>
    public string Address => new Uri(app!.Urls.Single()).Authority;

    /// <summary>What <c>discover</c> answers; tests may replace it before the proxy starts.</summary>
    public EntitySpec Spec { get; set; }

    /// <summary>Runs when a command arrives, before it is handled; lets a test hold a command in flight.</summary>
    public Func<string, Command, Task>? OnCommand { get; set; }

    /// <summary>Runs when a stream has been sent init, before its events are read; lets a test stop the user function reading a replay.</summary>
    public Func<string, CancellationToken, Task>? OnInit { get; set; }

    /// <summary>Every message the proxy sent to <c>reportError</c>, in order.</summary>
    public IReadOnlyList<string> ReportedErrors => [.. reportedErrors];

    /// <summary>The model's spec: its descriptors with all their imports, and one event-sourced entity.</summary>
    public static EntitySpec ModelSpec() => new()
    {
        Proto = DescriptorSet(ModelReflection.Descriptor).ToByteString(),
        Entities = { new Entity { EntityType = "cloudstate.eventsourced.EventSourced", ServiceName = "cloudstate.es.tests.model.Model", PersistenceId = PersistenceId } },
        ServiceInfo = new ServiceInfo { ServiceName = "scripted", SupportLibraryName = "scripted", ProtocolMajorVersion = 0, ProtocolMinorVersion = 2 },
    };

    /// <summary><paramref name="root"/> and every file it imports, each after its imports, plus <paramref name="extra"/> at the end.</summary>
    public static FileDescriptorSet DescriptorSet(FileDescriptor root, params FileDescriptorProto[] extra)
    {
        var set = FileDescriptorSets.Including([root]);
        set.File.AddRange(extra);
        return set;
    }

    public static async Task<ScriptedUserFunction> StartAsync(EntitySpec? spec = null)
    {
        var userFunction = new ScriptedUserFunction(spec ?? ModelSpec());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(userFunction);
        var app = builder.Build();
        app.MapGrpcService<ScriptedDiscovery>();
        app.MapGrpcService<ScriptedEventSourced>();
        await app.StartAsync();
        userFunction.app = app;
        return userFunction;
    }

    /// <summary>The command ids received on each stream opened for <paramref name="entityId"/>, oldest stream first.</summary>
    public IReadOnlyList<IReadOnlyList<long>> CommandIds(string entityId)
    {
        lock (streams)
        {
            return streams.TryGetValue(entityId, out var opened) ? [.. opened.Select(ids => (IReadOnlyList<long>)[.. ids])] : [];
        }
    }

    /// <summary>The command ids of each stream opened for <paramref name="entityId"/>, as "1,2 | 1".</summary>
    public string Streams(string entityId) => string.Join(" | ", CommandIds(entityId).Select(ids => string.Join(',', ids)));

    /// <summary>How many streams the proxy opened for <paramref name="entityId"/>.</summary>
    public int StreamsOpened(string entityId) => CommandIds(entityId).Count;

    internal void RecordError(string message) => reportedErrors.Enqueue(message);

    private readonly ConcurrentDictionary<string, int> resets = new(StringComparer.Ordinal);
    private int openStreams;
    private int mostOpenStreams;

    /// <summary>Entity streams open now.</summary>
    public int OpenStreams => Volatile.Read(ref openStreams);

    /// <summary>The most entity streams that were open at once.</summary>
    public int MostOpenStreams => Volatile.Read(ref mostOpenStreams);

    /// <summary>Counts an entity stream as open until the result is disposed.</summary>
    internal IDisposable CountOpenStream()
    {
        var now = Interlocked.Increment(ref openStreams);
        for (var most = MostOpenStreams; now > most && Interlocked.CompareExchange(ref mostOpenStreams, now, most) != most; most = MostOpenStreams)
        {
        }

        return new OpenStream(this);
    }

    private sealed class OpenStream(ScriptedUserFunction owner) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref owner.openStreams);
    }

    /// <summary>How many streams of <paramref name="entityId"/> the proxy reset while the user function held a command.</summary>
    public int Resets(string entityId) => resets.GetValueOrDefault(entityId);

    internal void RecordReset(string entityId) => resets.AddOrUpdate(entityId, 1, (_, n) => n + 1);

    /// <summary>Records a new stream for <paramref name="entityId"/>; returns the action that records a command id on it.</summary>
    internal Action<long> RecordStream(string entityId)
    {
        var ids = new List<long>();
        lock (streams)
        {
            if (!streams.TryGetValue(entityId, out var opened))
            {
                streams[entityId] = opened = [];
            }

            opened.Add(ids);
        }

        return id =>
        {
            lock (streams)
            {
                ids.Add(id);
            }
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
