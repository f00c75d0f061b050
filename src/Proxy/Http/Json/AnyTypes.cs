using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>
/// The message types a google.protobuf.Any may hold, found by full name. As Google.Protobuf's
/// TypeRegistry.FromMessages does, every message of the given types' files and of the files they import counts.
/// </summary>
internal sealed class AnyTypes
{
    private readonly Utf8NameTable<MessageDescriptor> byName;

    public AnyTypes(IEnumerable<MessageDescriptor> types)
    {
        var files = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<KeyValuePair<string, MessageDescriptor>>();
        foreach (var type in types)
        {
            AddFile(type.File);
        }

        byName = new Utf8NameTable<MessageDescriptor>(found);

        void AddFile(FileDescriptor file)
        {
            if (!files.Add(file.Name))
            {
                return;
            }

            foreach (var dependency in file.Dependencies)
            {
                AddFile(dependency);
            }

            foreach (var message in file.MessageTypes)
            {
                AddMessage(message);
            }
        }

        void AddMessage(MessageDescriptor message)
        {
            foreach (var nested in message.NestedTypes)
            {
                AddMessage(nested);
            }

            found.Add(KeyValuePair.Create(message.FullName, message));
        }
    }

    public bool TryFind(ReadOnlySpan<byte> utf8FullName, out MessageDescriptor type) => byName.TryGet(utf8FullName, out type, out _);
}
