using Cloudstate.Es.Sdk.EventSourced;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudstate.Es.Sdk.Hosting;

/// <summary>The registered entities, built and checked once, by service name.</summary>
internal sealed class EntityCatalog
{
    public EntityCatalog(IEnumerable<EntityRegistration> registrations, IServiceProvider services)
    {
        foreach (var registration in registrations)
        {
            var entity = (EventSourcedEntity)services.GetRequiredService(registration.EntityType);
            var persistenceId = registration.Options.PersistenceId is { Length: > 0 } id ? id : registration.Service.Name;
            var model = entity.CreateModel(registration.Service, persistenceId, registration.Options);
            if (!Entities.TryAdd(registration.Service.FullName, model))
            {
                throw new InvalidOperationException($"Service {registration.Service.FullName} is registered twice.");
            }
        }

        if (Entities.Count == 0)
        {
            throw new InvalidOperationException("No entity is registered: call AddEventSourcedEntity<TEntity>(...) after AddCloudstate().");
        }
    }

    public Dictionary<string, IEntityModel> Entities { get; } = new(StringComparer.Ordinal);
}
