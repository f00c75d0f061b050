using Google.Protobuf.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Cloudstate.Es.Proxy.Reflection;

/// <summary>The descriptor files reflection describes: those of the served services and all they import, by name, symbol and extension.</summary>
internal sealed class ReflectedFiles
{
    private readonly Dictionary<string, FileDescriptor> byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IDescriptor> bySymbol = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<int, FieldDescriptor>> extensionsByType = new(StringComparer.Ordinal);

    public ReflectedFiles(IEnumerable<ServiceDescriptor> services)
    {
        var names = new List<string>();
        foreach (var service in services)
        {
            if (!names.Contains(service.FullName, StringComparer.Ordinal))
            {
                names.Add(service.FullName);
            }

            Add(service.File);
        }

        ServiceNames = names;
    }

    /// <summary>The full names of the served services, in the order they were given.</summary>
    public IReadOnlyList<string> ServiceNames { get; }

    public FileDescriptor? FileByName(string name) => byName.GetValueOrDefault(name);

    /// <summary>The file declaring a service, method, message, field, enum or extension, by its full name (a leading dot is allowed).</summary>
    public FileDescriptor? FileContainingSymbol(string symbol) =>
        bySymbol.GetValueOrDefault(symbol.StartsWith('.') ? symbol[1..] : symbol)?.File;

    public FileDescriptor? FileContainingExtension(string extendedType, int number) =>
        extensionsByType.GetValueOrDefault(extendedType)?.GetValueOrDefault(number)?.File;

    /// <summary>The numbers of the known extensions of a message type, in order; null when the type is unknown.</summary>
    public IReadOnlyCollection<int>? ExtensionNumbersOf(string messageType) =>
        bySymbol.GetValueOrDefault(messageType) is MessageDescriptor
            ? extensionsByType.GetValueOrDefault(messageType)?.Keys ?? (IReadOnlyCollection<int>)[]
            : null;

    private void Add(FileDescriptor file)
    {
        // A name seen before is the same file: the descriptors of one user function are built in one pool.
        if (!byName.TryAdd(file.Name, file))
        {
            return;
        }

        foreach (var dependency in file.Dependencies)
        {
            Add(dependency);
        }

        AddTypes(file.MessageTypes, file.EnumTypes, file.Extensions.UnorderedExtensions);
        foreach (var service in file.Services)
        {
            bySymbol.TryAdd(service.FullName, service);
            foreach (var method in service.Methods)
            {
                bySymbol.TryAdd(method.FullName, method);
            }
        }
    }

    private void AddMessage(MessageDescriptor message)
    {
        bySymbol.TryAdd(message.FullName, message);
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            bySymbol.TryAdd(field.FullName, field);
        }

        AddTypes(message.NestedTypes, message.EnumTypes, message.Extensions.UnorderedExtensions);
    }

    /// <summary>What a file or a message declares in its scope: messages (with what they nest), enums, extensions.</summary>
    private void AddTypes(IEnumerable<MessageDescriptor> messages, IEnumerable<EnumDescriptor> enums, IEnumerable<FieldDescriptor> extensions)
    {
        foreach (var message in messages)
        {
            AddMessage(message);
        }

        foreach (var enumType in enums)
        {
            bySymbol.TryAdd(enumType.FullName, enumType);
        }

        foreach (var extension in extensions)
        {
            AddExtension(extension);
        }
    }

    private void AddExtension(FieldDescriptor extension)
    {
        bySymbol.TryAdd(extension.FullName, extension);
        var extendedType = extension.ExtendeeType.FullName;
        if (!extensionsByType.TryGetValue(extendedType, out var numbers))
        {
            extensionsByType[extendedType] = numbers = [];
        }

        numbers.TryAdd(extension.FieldNumber, extension);
    }
}
