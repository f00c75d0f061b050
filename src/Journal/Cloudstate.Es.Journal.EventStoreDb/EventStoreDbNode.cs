using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using EventStore.Client;
using EventStore.Client.Streams;
using Grpc.Core;
using Grpc.Net.Client;
using RecordedEvent = EventStore.Client.Streams.ReadResp.Types.ReadEvent.Types.RecordedEvent;

namespace Cloudstate.Es.Journal.EventStoreDb;

/// <summary>
/// One EventStoreDB node spoken to over its v1 gRPC API on one HTTP/2 channel: stream reads for the journal and the
/// snapshot store, which share it, and the <c>Streams</c> client their appends use. Disposing closes the channel.
/// </summary>
public sealed class EventStoreDbNode : IDisposable, IAsyncDisposable
{
    private readonly GrpcChannel channel;
    private readonly Metadata? credentials;

    public EventStoreDbNode(EventStoreDbOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Names = new StreamNames(options.StreamPrefix);
        channel = GrpcChannel.ForAddress(options.Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                // A node that is gone fails a call in seconds, not after the system's TCP timeout.
                ConnectTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(10),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                EnableMultipleHttp2Connections = true,
            },
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        Streams = new Streams.StreamsClient(channel);
        if (options.Username is { } user)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}"));
            credentials = new Metadata { { "authorization", new AuthenticationHeaderValue("Basic", basic).ToString() } };
        }
    }

    public EventStoreDbOptions Options { get; }

    internal StreamNames Names { get; }

    internal Streams.StreamsClient Streams { get; }

    /// <summary>Call options with the credentials, and no deadline: for the long-lived BatchAppend call.</summary>
    internal CallOptions LongCall(CancellationToken cancellationToken) => new(credentials, cancellationToken: cancellationToken);

    /// <summary>
    /// Reads <paramref name="stream"/> from <paramref name="revision"/> (forwards) or from its end (backwards), at most
    /// <paramref name="count"/> events; a stream that does not exist reads nothing. A replay of a long stream may take
    /// longer than one call's timeout, so only short reads give a <paramref name="deadline"/>.
    /// </summary>
    internal async IAsyncEnumerable<RecordedEvent> ReadAsync(string stream, ulong? revision, bool backwards, ulong count, DateTime? deadline, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new ReadReq.Types.Options.Types.StreamOptions { StreamIdentifier = StreamNames.Identifier(stream) };
        if (revision is { } from)
            options.Revision = from;
        else if (backwards)
            options.End = new EventStore.Client.Empty();
        else
            options.Start = new EventStore.Client.Empty();
        var request = new ReadReq
        {
            Options = new ReadReq.Types.Options
            {
                Stream = options,
                ReadDirection = backwards ? ReadReq.Types.Options.Types.ReadDirection.Backwards : ReadReq.Types.Options.Types.ReadDirection.Forwards,
                Count = count,
                NoFilter = new EventStore.Client.Empty(),
                UuidOption = new ReadReq.Types.Options.Types.UUIDOption { Structured = new EventStore.Client.Empty() },
            },
        };

        using var call = Streams.Read(request, new CallOptions(credentials, deadline, cancellationToken));
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var response = call.ResponseStream.Current;
            switch (response.ContentCase)
            {
                case ReadResp.ContentOneofCase.Event:
                    yield return response.Event.Event;
                    break;
                case ReadResp.ContentOneofCase.StreamNotFound:
                    yield break;
            }
        }
    }

    /// <summary>
    /// Appends <paramref name="messages"/> to <paramref name="stream"/> in one <c>Append</c> call after
    /// <paramref name="expectedRevision"/> (null: the stream must not exist; <see cref="ulong.MaxValue"/>: any revision).
    /// For the few writes outside the journal's BatchAppend call: snapshots and stream metadata.
    /// </summary>
    internal async Task<AppendResp> AppendAsync(string stream, ulong? expectedRevision, IEnumerable<AppendReq.Types.ProposedMessage> messages, CancellationToken cancellationToken)
    {
        var options = new AppendReq.Types.Options { StreamIdentifier = StreamNames.Identifier(stream) };
        switch (expectedRevision)
        {
            case null: options.NoStream = new EventStore.Client.Empty(); break;
            case ulong.MaxValue: options.Any = new EventStore.Client.Empty(); break;
            case { } revision: options.Revision = revision; break;
        }

        using var call = Streams.Append(new CallOptions(credentials, Deadline, cancellationToken));
        await call.RequestStream.WriteAsync(new AppendReq { Options = options }, cancellationToken).ConfigureAwait(false);
        foreach (var message in messages)
            await call.RequestStream.WriteAsync(new AppendReq { ProposedMessage = message }, cancellationToken).ConfigureAwait(false);
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>Sets <paramref name="stream"/>'s metadata (JSON such as <c>{"$maxCount":1}</c>) in its <c>$$</c> stream, whatever was there.</summary>
    internal async Task SetStreamMetadataAsync(string stream, byte[] json, CancellationToken cancellationToken)
    {
        var metadata = new AppendReq.Types.ProposedMessage
        {
            Id = Uuids.From(Guid.NewGuid()),
            Metadata = { ["type"] = "$metadata", ["content-type"] = "application/json" },
            Data = Google.Protobuf.ByteString.CopyFrom(json),
        };
        await AppendAsync("$$" + stream, ulong.MaxValue, [metadata], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the node answers: a read of a stream that need not exist. Throws <see cref="RpcException"/> when it does not.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in ReadAsync(Names.Events(new StreamId("cloudstate-es|ping")), null, backwards: true, 1, Deadline, cancellationToken).ConfigureAwait(false))
        {
        }
    }

    /// <summary>When a call started now must have ended.</summary>
    internal DateTime Deadline => DateTime.UtcNow + Options.CallTimeout;

    public void Dispose() => channel.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
