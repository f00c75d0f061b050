using Cloudstate.Es.Protocol;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>The shopping cart's API types as the proxy knows them: built at run time from serialized descriptors, not the generated classes.</summary>
internal static class SampleDescriptors
{
    /// <summary>shoppingcart.proto rebuilt with the files it imports, imports first.</summary>
    public static FileDescriptor ApiFile()
    {
        var ordered = FileDescriptorSets.InImportOrder([ShoppingcartReflection.Descriptor]);
        return FileDescriptor.BuildFromByteStrings(ordered.Select(f => f.SerializedData))[^1];
    }

    /// <summary>The top-level API message <paramref name="name"/>, e.g. <c>Cart</c>.</summary>
    public static MessageDescriptor ApiMessage(string name) =>
        ApiFile().FindTypeByName<MessageDescriptor>(name) ?? throw new InvalidOperationException($"shoppingcart.proto has no message {name}.");
}
