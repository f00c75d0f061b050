using BenchmarkDotNet.Attributes;
using Cloudstate.Es.Proxy.Frontend;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Google.Protobuf;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// Reading the entity key of a shopping cart AddLineItem request: the proxy's scan of the wire bytes against parsing
/// the whole message with the generated parser and taking UserId.
/// </summary>
[MemoryDiagnoser]
// Not sealed: BenchmarkDotNet derives its runner from the class.
public class EntityKeyBenchmarks
{
    private EntityKeyReader reader = null!;
    private byte[] request = [];

    [GlobalSetup]
    public void Setup()
    {
        reader = EntityKeyReader.For(SampleDescriptors.ApiMessage(nameof(AddLineItem)))
            ?? throw new InvalidOperationException("AddLineItem has no field marked as entity key.");
        request = new AddLineItem { UserId = "user-4711", ProductId = "product-0042", Name = "Deluxe rubber duck", Quantity = 3 }.ToByteArray();
        if (EntityKeyReader_TryRead() != GeneratedParser_UserId())
            throw new InvalidOperationException("The entity key reader and the generated parser read different keys.");
    }

    [Benchmark(Baseline = true)]
    public string EntityKeyReader_TryRead() =>
        reader.TryRead(request, out var key) is { } error ? throw new InvalidOperationException(error) : key;

    [Benchmark]
    public string GeneratedParser_UserId() => AddLineItem.Parser.ParseFrom(request).UserId;
}
