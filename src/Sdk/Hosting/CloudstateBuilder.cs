using Cloudstate.Es.Sdk.EventSourced;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cloudstate.Es.Sdk.Hosting;

/// <summary>Registers the entities a user function serves.</summary>
public sealed class CloudstateBuilder
{
    internal CloudstateBuilder(IServiceCollection services) => Services = services;

    public IServiceCollection Services { get; }

    /// <summary>
    /// Serves <typeparamref name="TEntity"/> as the event-sourced implementation of <paramref name="service"/>.
    /// The entity object comes from the container, so it can take dependencies; it is one singleton for all instances.
    /// </summary>
    public CloudstateBuilder AddEventSourcedEntity<TEntity>(ServiceDescriptor service, Action<EventSourcedEntityOptions>? configure = null)
        where TEntity : EventSourcedEntity
    {
        ArgumentNullException.ThrowIfNull(service);
        var options = new EventSourcedEntityOptions();
        configure?.Invoke(options);
        Services.TryAddSingleton<TEntity>();
        Services.AddSingleton(new EntityRegistration(service, typeof(TEntity), options));
        return this;
    }
}

/// <summary>One entity as registered, before the container builds it.</summary>
internal sealed record EntityRegistration(ServiceDescriptor Service, Type EntityType, EventSourcedEntityOptions Options);
