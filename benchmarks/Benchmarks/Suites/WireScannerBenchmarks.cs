using BenchmarkDotNet.Attributes;
using Cloudstate.Es.Proxy.Frontend;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Google.Protobuf;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// Walking every field of a five-item cart, nested line items included, without building a message: the proxy's
/// WireScanner against Google.Protobuf's CodedInputStream.
/// </summary>
[MemoryDiagnoser]
// Not sealed: BenchmarkDotNet derives its runner from the class.
public class WireScannerBenchmarks
{
    private byte[] wire = [];

    [GlobalSetup]
    public void Setup()
    {
        var cart = new Cart();
        for (var i = 1; i <= 5; i++)
            cart.Items.Add(new LineItem { ProductId = $"product-{i:D4}", Name = $"Rubber duck, model {i}", Quantity = i });
        wire = cart.ToByteArray();
        if (WireScanner_Fields() != CodedInputStream_Fields())
            throw new InvalidOperationException("The scanner and CodedInputStream count different fields.");
    }

    [Benchmark(Baseline = true)]
    public int WireScanner_Fields()
    {
        var fields = 0;
        var cart = new WireScanner(wire);
        while (cart.Next())
        {
            fields++;
            var item = new WireScanner(cart.Bytes);
            while (item.Next())
                fields++;
        }

        return fields;
    }

    [Benchmark]
    public int CodedInputStream_Fields()
    {
        var fields = 0;
        var cart = new CodedInputStream(wire);
        while (cart.ReadTag() != 0)
        {
            fields++;
            var item = cart.ReadBytes().CreateCodedInput();
            while (item.ReadTag() != 0)
            {
                fields++;
                item.SkipLastField();
            }
        }

        return fields;
    }
}
