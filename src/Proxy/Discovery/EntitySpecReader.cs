using Cloudstate.Es.Proxy.Frontend;
using Cloudstate.Es.Protocol;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Discovery;

/// <summary>Checks a user function's <see cref="EntitySpec"/> and turns it into an <see cref="EntityCatalog"/>.</summary>
internal static class EntitySpecReader
{
    public const string EventSourcedType = "cloudstate.eventsourced.EventSourced";

    /// <summary>The entity types this proxy serves.</summary>
    public static readonly string[] SupportedEntityTypes = [EventSourcedType];

    /// <summary>The catalog, or every problem found, each naming the service or method at fault.</summary>
    public static (EntityCatalog? Catalog, IReadOnlyList<string> Problems) Read(EntitySpec spec)
    {
        IReadOnlyList<FileDescriptor> files;
        try
        {
            files = DescriptorSets.Build(spec.Proto);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or Google.Protobuf.InvalidProtocolBufferException)
        {
            return (null, [$"The descriptors of the entity spec do not build: {e.Message}"]);
        }

        var problems = new List<string>();
        var services = new List<EntityService>();
        if (spec.Entities.Count == 0)
        {
            problems.Add("The user function declares no entity.");
        }

        foreach (var entity in spec.Entities)
        {
            if (Read(entity, files, problems) is { } service)
            {
                if (services.Any(s => s.Name == service.Name))
                {
                    problems.Add($"Service {service.Name} is declared by two entities.");
                    continue;
                }

                services.Add(service);
            }
        }

        return problems.Count > 0 ? (null, problems) : (new EntityCatalog(services), problems);
    }

    private static EntityService? Read(Entity entity, IReadOnlyList<FileDescriptor> files, List<string> problems)
    {
        if (!SupportedEntityTypes.Contains(entity.EntityType))
        {
            problems.Add($"Entity {entity.ServiceName} has the entity type '{entity.EntityType}', which this proxy does not support (it supports {string.Join(", ", SupportedEntityTypes)}).");
            return null;
        }

        var descriptor = files.SelectMany(f => f.Services).FirstOrDefault(s => s.FullName == entity.ServiceName);
        if (descriptor is null)
        {
            problems.Add($"Entity service {entity.ServiceName} is not in the descriptors the user function sent.");
            return null;
        }

        if (string.IsNullOrEmpty(entity.PersistenceId))
        {
            problems.Add($"Entity service {entity.ServiceName} has no persistence id.");
            return null;
        }

        TimeSpan? passivation = entity.PassivationStrategy?.Timeout is { Timeout: > 0 } timeout ? TimeSpan.FromMilliseconds(timeout.Timeout) : null;
        var service = new EntityService(descriptor, entity.PersistenceId, passivation);
        foreach (var method in descriptor.Methods)
        {
            if (method.IsClientStreaming || method.IsServerStreaming)
            {
                problems.Add($"Method {method.FullName} is streamed, which event-sourced entities do not support.");
                continue;
            }

            var key = EntityKeyReader.For(method.InputType);
            if (key is null)
            {
                problems.Add($"Method {method.FullName} takes {method.InputType.FullName}, which has no field marked as the entity key ((cloudstate.entity_key) = true).");
                continue;
            }

            if (key.Fields.FirstOrDefault(f => f.FieldType is FieldType.Message or FieldType.Group || f.IsRepeated) is { } bad)
            {
                problems.Add($"Method {method.FullName}: entity key field '{bad.Name}' must be a single scalar or string.");
                continue;
            }

            service.Methods.Add(method.Name, new EntityMethod(service, method, key));
        }

        return service;
    }
}
