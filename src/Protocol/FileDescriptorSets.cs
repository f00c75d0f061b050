using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Protocol;

/// <summary>Builds the FileDescriptorSet an entity spec carries: the given files and everything they import.</summary>
internal static class FileDescriptorSets
{
    /// <summary><paramref name="files"/> and all their imports, each file once and after its imports.</summary>
    public static FileDescriptorSet Including(IEnumerable<FileDescriptor> files)
    {
        var set = new FileDescriptorSet();
        foreach (var file in InImportOrder(files))
        {
            set.File.Add(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
        }

        return set;
    }

    /// <summary><paramref name="files"/> and all their imports, each file once and after its imports.</summary>
    public static IReadOnlyList<FileDescriptor> InImportOrder(IEnumerable<FileDescriptor> files)
    {
        var ordered = new List<FileDescriptor>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            Place(file);
        }

        return ordered;

        void Place(FileDescriptor file)
        {
            if (!placed.Add(file.Name))
            {
                return;
            }

            foreach (var dependency in file.Dependencies)
            {
                Place(dependency);
            }

            ordered.Add(file);
        }
    }
}
