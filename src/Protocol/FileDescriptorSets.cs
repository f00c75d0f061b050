using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Protocol;

/// <summary>Builds the FileDescriptorSet an entity spec carries: the given files and everything they import.</summary>
internal static class FileDescriptorSets
{
    /// <summary><paramref name="files"/> and all their imports, each file once and after its imports.</summary>
    public static FileDescriptorSet Including(IEnumerable<FileDescriptor> files)
    {
        var set = new FileDescriptorSet();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            Place(file);
        }

        return set;

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

            set.File.Add(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
        }
    }
}
