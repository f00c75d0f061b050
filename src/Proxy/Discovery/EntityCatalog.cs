using Cloudstate.Es.Protocol;
using Cloudstate.Es.Proxy.Frontend;
using Google.Protobuf.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Cloudstate.Es.Proxy.Discovery;

/// <summary>The entity services the user function declared at discovery, checked and ready to serve.</summary>
internal sealed class EntityCatalog(IReadOnlyList<EntityService> services)
{
    private readonly Dictionary<string, EntityService> byName = services.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public IReadOnlyList<EntityService> Services => services;

    public EntityService? Find(string serviceName) => byName.GetValueOrDefault(serviceName);

    /// <summary>The files declaring the services, with every file they import, each once, imports first.</summary>
    public IReadOnlyList<FileDescriptor> Files() => FileDescriptorSets.InImportOrder(services.Select(s => s.Descriptor.File));

    /// <summary>Every message type the services' files know, nested ones included: what an Any in a request may hold.</summary>
    public IEnumerable<MessageDescriptor> MessageTypes() => Files().SelectMany(f => f.MessageTypes).SelectMany(Flatten);

    private static IEnumerable<MessageDescriptor> Flatten(MessageDescriptor type) => type.NestedTypes.SelectMany(Flatten).Prepend(type);
}

/// <summary>One entity service: its gRPC service, persistence id and passivation, and its methods.</summary>
internal sealed class EntityService(ServiceDescriptor descriptor, string persistenceId, TimeSpan? passivationTimeout)
{
    public ServiceDescriptor Descriptor => descriptor;

    /// <summary>The service's full name; also the cluster kind of its entity actors.</summary>
    public string Name => descriptor.FullName;

    public string PersistenceId => persistenceId;

    public TimeSpan? PassivationTimeout => passivationTimeout;

    public Dictionary<string, EntityMethod> Methods { get; } = new(StringComparer.Ordinal);
}

/// <summary>One method of an entity service, with how to find the entity key in its request.</summary>
internal sealed record EntityMethod(EntityService Service, MethodDescriptor Descriptor, EntityKeyReader Key)
{
    public string Name => Descriptor.Name;

    /// <summary>The type URL the payload of a command to this method carries.</summary>
    public string InputTypeUrl { get; } = "type.googleapis.com/" + Descriptor.InputType.FullName;
}
