using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Cloudstate.Es.Proxy.Discovery;

/// <summary>Builds descriptors, at run time, from the FileDescriptorSet a user function sends.</summary>
internal static class DescriptorSets
{
    // Files every support library may import without sending them; they are built from the runtime's own copies.
    private static readonly Dictionary<string, FileDescriptor> WellKnown = new[]
    {
        AnyReflection.Descriptor, EmptyReflection.Descriptor, TimestampReflection.Descriptor, DurationReflection.Descriptor,
        WrappersReflection.Descriptor, StructReflection.Descriptor, FieldMaskReflection.Descriptor, DescriptorReflection.Descriptor,
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The files of <paramref name="serializedSet"/>, each built after its imports.</summary>
    public static IReadOnlyList<FileDescriptor> Build(ByteString serializedSet)
    {
        var set = FileDescriptorSet.Parser.ParseFrom(serializedSet);
        var byName = new Dictionary<string, FileDescriptorProto>(StringComparer.Ordinal);
        foreach (var file in set.File)
        {
            byName.TryAdd(file.Name, file);
        }

        var ordered = new List<ByteString>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in byName.Keys.ToList())
        {
            Place(name, []);
        }

        return FileDescriptor.BuildFromByteStrings(ordered);

        void Place(string name, HashSet<string> path)
        {
            if (placed.Contains(name))
            {
                return;
            }

            if (!path.Add(name))
            {
                throw new InvalidOperationException($"The descriptors import each other in a cycle through {name}.");
            }

            if (!byName.TryGetValue(name, out var file))
            {
                file = WellKnown.TryGetValue(name, out var known)
                    ? FileDescriptorProto.Parser.ParseFrom(known.SerializedData)
                    : throw new InvalidOperationException($"The descriptor set lacks {name}, which another file imports.");
            }

            foreach (var dependency in file.Dependency)
            {
                Place(dependency, path);
            }

            placed.Add(name);
            ordered.Add(file.ToByteString());
        }
    }
}
