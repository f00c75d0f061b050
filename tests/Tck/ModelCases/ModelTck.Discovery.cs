using Cloudstate.Es.Protocol;
using Cloudstate.Es.Tck.Kit;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using static Cloudstate.Es.Tck.ModelCases.ModelMessages;

namespace Cloudstate.Es.Tck.ModelCases;

public static partial class ModelTck
{
    private static async Task DiscoveryListsTheEntities(ModelEntity entity)
    {
        var spec = await entity.DiscoverAsync();
        foreach (var (service, persistenceId) in Services)
        {
            var declared = Entity(spec, service);
            Check(declared.EntityType == EntityType, $"{service} to be of entity type {EntityType}, got {Quote(declared.EntityType)}");
            Check(declared.PersistenceId == persistenceId, $"{service} to have persistence id {Quote(persistenceId)}, got {Quote(declared.PersistenceId)}");
        }
    }

    private static async Task DiscoverySendsDescriptors(ModelEntity entity)
    {
        var spec = await entity.DiscoverAsync();
        FileDescriptorSet files;
        try
        {
            files = FileDescriptorSet.Parser.ParseFrom(spec.Proto);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new TckFailure($"expected EntitySpec.proto to be a FileDescriptorSet, got bytes that do not parse: {e.Message}");
        }

        var names = files.File.Select(f => f.Name).ToHashSet();
        var services = files.File.SelectMany(f => f.Service.Select(s => string.IsNullOrEmpty(f.Package) ? s.Name : $"{f.Package}.{s.Name}")).ToList();
        foreach (var declared in spec.Entities)
        {
            Check(services.Contains(declared.ServiceName), $"the descriptors to define {declared.ServiceName}, got services {List(services)}");
        }

        foreach (var file in files.File)
        {
            var missing = file.Dependency.Where(d => !names.Contains(d)).ToList();
            Check(missing.Count == 0, $"the descriptors to include the imports of {file.Name}, got none for {List(missing)}");
        }
    }

    private static async Task DiscoveryNamesTheSupportLibrary(ModelEntity entity)
    {
        var info = (await entity.DiscoverAsync()).ServiceInfo ?? throw new TckFailure("expected a service info in the EntitySpec, got none");
        Check(info.SupportLibraryName.Length > 0, "the service info to name the support library, got an empty support_library_name");
        Check(info.SupportLibraryVersion.Length > 0, $"the service info to give the version of {info.SupportLibraryName}, got an empty support_library_version");

        // A library older than 0.2 leaves the version unset (0.0); one that sets it must speak a 0.x protocol.
        Check(info.ProtocolMajorVersion == 0, $"the support library to speak protocol 0.x, got {info.ProtocolMajorVersion}.{info.ProtocolMinorVersion}");
    }

    private static async Task ConfiguredEntityDeclaresPassivation(ModelEntity entity)
    {
        var configured = Entity(await entity.DiscoverAsync(), ConfiguredService);
        var timeout = configured.PassivationStrategy?.Timeout;
        Check(timeout is not null, $"{ConfiguredService} to declare a timeout passivation strategy, got {(configured.PassivationStrategy is null ? "no passivation strategy" : "a strategy without a timeout")}");
        Check(timeout!.Timeout == 100, $"{ConfiguredService} to declare a passivation timeout of 100 ms, got {timeout.Timeout} ms");
    }

    private static Entity Entity(EntitySpec spec, string service) =>
        spec.Entities.FirstOrDefault(e => e.ServiceName == service)
        ?? throw new TckFailure($"expected an entity for {service} in the EntitySpec, got entities {List(spec.Entities.Select(e => e.ServiceName))}");

    private static void Check(bool holds, string expected)
    {
        if (!holds)
        {
            throw new TckFailure($"expected {expected}");
        }
    }
}
