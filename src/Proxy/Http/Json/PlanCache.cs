using System.Collections.Concurrent;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>The plans of the message and enum types a codec has met, built once per descriptor and shared by all calls.</summary>
internal sealed class PlanCache
{
    private readonly ConcurrentDictionary<MessageDescriptor, MessagePlan> messages = new();
    private readonly ConcurrentDictionary<EnumDescriptor, EnumPlan> enums = new();

    public MessagePlan For(MessageDescriptor descriptor) =>
        messages.GetOrAdd(descriptor, static (d, cache) => new MessagePlan(d, cache), this);

    public EnumPlan For(EnumDescriptor descriptor) =>
        enums.GetOrAdd(descriptor, static d => new EnumPlan(d));
}
