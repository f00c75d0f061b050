using System.Buffers.Binary;
using Akka.Actor;
using Akka.Serialization;

namespace Cloudstate.Es.Benchmarks.AkkaPeer;

/// <summary>Stores <see cref="Incremented"/> as four bytes, as a tuned Akka deployment would, instead of the default JSON serializer.</summary>
public sealed class IncrementedSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private const string IncrementedManifest = "I";

    public override int Identifier => 1701;

    public override string Manifest(object o) => o is Incremented
        ? IncrementedManifest
        : throw new ArgumentException($"{o.GetType()} is not serialized by {nameof(IncrementedSerializer)}", nameof(o));

    public override byte[] ToBinary(object obj)
    {
        if (obj is not Incremented incremented)
            throw new ArgumentException($"{obj.GetType()} is not serialized by {nameof(IncrementedSerializer)}", nameof(obj));
        var bytes = new byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, incremented.By);
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest) => manifest == IncrementedManifest
        ? new Incremented(BinaryPrimitives.ReadInt32LittleEndian(bytes))
        : throw new ArgumentException($"unknown manifest '{manifest}'", nameof(manifest));
}
