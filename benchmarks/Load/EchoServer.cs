using Cloudstate.Es.Samples.ShoppingCart.Api;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Load;

/// <summary>
/// The cart's AddItem (same service name, method and message types) answered at once with Empty, on ASP.NET Core
/// gRPC: what the load generator reaches through it is the request-reply limit of the machine, no proxy, no journal.
/// </summary>
internal static class EchoServer
{
    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<EchoCart>, EchoCartMethods>());
        await using var app = builder.Build();
        app.MapGrpcService<EchoCart>();
        Console.WriteLine($"echo server: {ShoppingCart.Descriptor.FullName}/AddItem on 127.0.0.1:{port}");
        await app.RunAsync();
    }
}

/// <summary>The service instance gRPC creates per call; it has no state.</summary>
internal sealed class EchoCart
{
    private static readonly Task<Empty> Reply = Task.FromResult(new Empty());

    public Task<Empty> AddItem(AddLineItem request, ServerCallContext context) => Reply;
}

/// <summary>Binds AddItem by hand from the sample's service descriptor (the sample generates only client stubs).</summary>
internal sealed class EchoCartMethods : IServiceMethodProvider<EchoCart>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<EchoCart> context)
    {
        var addItem = new Method<AddLineItem, Empty>(
            MethodType.Unary,
            ShoppingCart.Descriptor.FullName,
            "AddItem",
            Marshallers.Create(r => r.ToByteArray(), AddLineItem.Parser.ParseFrom),
            Marshallers.Create(r => r.ToByteArray(), Empty.Parser.ParseFrom));
        context.AddUnaryMethod(addItem, [], (service, request, call) => service.AddItem(request, call));
    }
}
