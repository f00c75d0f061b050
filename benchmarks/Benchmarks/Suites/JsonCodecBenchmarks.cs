using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Cloudstate.Es.Proxy.Http.Json;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// The HTTP front end's JSON codec on a cart of five line items, both ways, against Google.Protobuf's JsonFormatter
/// and JsonParser on the generated Cart. The codec works from descriptors rebuilt at run time, as the proxy's do.
/// Within each direction the Google.Protobuf rows show the same conversion (wire to JSON text, JSON to wire) and,
/// for reference, its JSON half alone. JsonParser gets the JSON as a string, its input; the codec gets the UTF-8
/// bytes a request body arrives in.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
// Not sealed: BenchmarkDotNet derives its runner from the class.
public class JsonCodecBenchmarks
{
    private JsonCodec codec = null!;
    private MessageDescriptor cartType = null!;
    private Cart cart = null!;
    private byte[] wire = [];
    private string json = "";
    private byte[] utf8Json = [];

    [GlobalSetup]
    public void Setup()
    {
        var api = SampleDescriptors.ApiFile();
        cartType = api.FindTypeByName<MessageDescriptor>(nameof(Cart));
        codec = new JsonCodec(api.MessageTypes);
        cart = new Cart();
        for (var i = 1; i <= 5; i++)
            cart.Items.Add(new LineItem { ProductId = $"product-{i:D4}", Name = $"Rubber duck, model {i}", Quantity = i });
        wire = cart.ToByteArray();
        json = JsonFormatter.Default.Format(cart);
        utf8Json = Encoding.UTF8.GetBytes(json);
        if (Codec_ToJson() != json || !Codec_ToWire().AsSpan().SequenceEqual(wire))
            throw new InvalidOperationException("The codec and Google.Protobuf disagree on the cart.");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ToJson")]
    public string Codec_ToJson() => codec.ToJson(cartType, wire);

    [Benchmark, BenchmarkCategory("ToJson")]
    public string Protobuf_ParseWire_Format() => JsonFormatter.Default.Format(Cart.Parser.ParseFrom(wire));

    [Benchmark, BenchmarkCategory("ToJson")]
    public string Protobuf_Format() => JsonFormatter.Default.Format(cart);

    [Benchmark(Baseline = true), BenchmarkCategory("ToWire")]
    public byte[] Codec_ToWire() => codec.ToWire(cartType, utf8Json);

    [Benchmark, BenchmarkCategory("ToWire")]
    public byte[] Protobuf_Parse_ToByteArray() => JsonParser.Default.Parse<Cart>(json).ToByteArray();

    [Benchmark, BenchmarkCategory("ToWire")]
    public Cart Protobuf_Parse() => JsonParser.Default.Parse<Cart>(json);
}
