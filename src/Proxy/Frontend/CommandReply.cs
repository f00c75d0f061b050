using Google.Protobuf;

namespace Cloudstate.Es.Proxy.Frontend;

/// <summary>What the client gets for a command: the reply payload, unparsed, and the reply's metadata (null when none).</summary>
internal sealed record CommandReply(ByteString Payload, Protocol.Metadata? Metadata);
