using Cloudstate.Es.Protocol;
using Cloudstate.Es.TestModel;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Tests.Scripted;

/// <summary>Entity specs the proxy must refuse, each with one fault, built at run time.</summary>
internal static class BadSpecs
{
    private const string EventSourced = "cloudstate.eventsourced.EventSourced";

    /// <summary>The model, plus service <c>bad.Bad</c> whose method <c>Do</c> takes <c>bad.NoKey</c>, which has no entity key.</summary>
    public static EntitySpec MethodInputWithoutEntityKey()
    {
        var file = new FileDescriptorProto
        {
            Name = "bad/no_key.proto",
            Package = "bad",
            Syntax = "proto3",
            MessageType =
            {
                new DescriptorProto
                {
                    Name = "NoKey",
                    Field = { new FieldDescriptorProto { Name = "id", JsonName = "id", Number = 1, Type = FieldDescriptorProto.Types.Type.String, Label = FieldDescriptorProto.Types.Label.Optional } },
                },
            },
            Service = { new ServiceDescriptorProto { Name = "Bad", Method = { new MethodDescriptorProto { Name = "Do", InputType = ".bad.NoKey", OutputType = ".bad.NoKey" } } } },
        };
        return WithEntity(file, "bad.Bad");
    }

    /// <summary>The model, plus service <c>bad.Streamy</c> whose method <c>Watch</c> takes a keyed request and streams responses.</summary>
    public static EntitySpec StreamedMethod()
    {
        var file = new FileDescriptorProto
        {
            Name = "bad/streamy.proto",
            Package = "bad",
            Syntax = "proto3",
            Dependency = { ModelReflection.Descriptor.Name },
            Service =
            {
                new ServiceDescriptorProto
                {
                    Name = "Streamy",
                    Method =
                    {
                        new MethodDescriptorProto
                        {
                            Name = "Watch",
                            InputType = ".cloudstate.es.tests.model.Request",
                            OutputType = ".cloudstate.es.tests.model.Response",
                            ServerStreaming = true,
                        },
                    },
                },
            },
        };
        return WithEntity(file, "bad.Streamy");
    }

    /// <summary>The model declared as an entity type this proxy does not serve.</summary>
    public static EntitySpec UnknownEntityType(string entityType)
    {
        var spec = ScriptedUserFunction.ModelSpec();
        spec.Entities[0].EntityType = entityType;
        return spec;
    }

    /// <summary>An entity whose service is not in the descriptors.</summary>
    public static EntitySpec ServiceNotInDescriptors(string serviceName)
    {
        var spec = ScriptedUserFunction.ModelSpec();
        spec.Entities[0].ServiceName = serviceName;
        return spec;
    }

    /// <summary>The model's valid spec with <paramref name="file"/> added and an entity for <paramref name="serviceName"/>.</summary>
    private static EntitySpec WithEntity(FileDescriptorProto file, string serviceName)
    {
        var spec = ScriptedUserFunction.ModelSpec();
        spec.Proto = ScriptedUserFunction.DescriptorSet(ModelReflection.Descriptor, file).ToByteString();
        spec.Entities.Add(new Entity { EntityType = EventSourced, ServiceName = serviceName, PersistenceId = "bad" });
        return spec;
    }
}
