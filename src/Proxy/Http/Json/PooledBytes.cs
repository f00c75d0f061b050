using System.Buffers;

namespace Cloudstate.Es.Proxy.Http.Json;

/// <summary>Bytes written into a buffer rented from the shared pool, grown as needed and returned on dispose.</summary>
internal abstract class PooledBytes : IDisposable
{
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(1024);
    private int length;

    /// <summary>The bytes written so far; setting a smaller value takes back what followed.</summary>
    public int Length
    {
        get => length;
        set => length = value;
    }

    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, length);

    /// <summary>The whole buffer, for patching bytes already written.</summary>
    protected Span<byte> Buffer => buffer;

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        length += bytes.Length;
    }

    public byte[] ToArray() => Written.ToArray();

    /// <summary>A span of at least <paramref name="size"/> free bytes after what is written; <see cref="Advance"/> takes them.</summary>
    public Span<byte> Reserve(int size)
    {
        if (buffer.Length - length < size)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + size));
            buffer.AsSpan(0, length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        return buffer.AsSpan(length);
    }

    public void Advance(int count) => length += count;

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
        GC.SuppressFinalize(this);
    }
}
