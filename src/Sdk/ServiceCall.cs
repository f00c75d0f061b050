using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Sdk;

/// <summary>A call to a method of an entity service, made by the proxy as a forward or a side effect.</summary>
public sealed record ServiceCall(string ServiceName, string CommandName, IMessage Payload, Metadata? Metadata = null)
{
    /// <summary>A call to <paramref name="method"/> with <paramref name="payload"/>, checked against the method's input type.</summary>
    public static ServiceCall To(MethodDescriptor method, IMessage payload, Metadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Descriptor.FullName != method.InputType.FullName)
        {
            throw new ArgumentException(
                $"{method.FullName} takes {method.InputType.FullName}, not {payload.Descriptor.FullName}.", nameof(payload));
        }

        return new ServiceCall(method.Service.FullName, method.Name, payload, metadata);
    }
}
