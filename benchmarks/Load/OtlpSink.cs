using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Load;

/// <summary>
/// An OTLP/HTTP receiver that takes every export (traces, metrics) and answers it accepted, so that a proxy exporting
/// its telemetry pays the whole cost of making and sending it. It counts what it got and prints that when stopped.
/// </summary>
internal static class OtlpSink
{
    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http1AndHttp2));
        await using var app = builder.Build();
        long exports = 0, bytes = 0;
        app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            Interlocked.Increment(ref exports);
            Interlocked.Add(ref bytes, body.Length);
            // An empty Export*ServiceResponse: everything accepted.
            context.Response.ContentType = "application/x-protobuf";
        });
        Console.WriteLine($"otlp sink: POST /v1/traces and /v1/metrics on 127.0.0.1:{port}");
        await app.RunAsync();
        Console.WriteLine($"otlp sink: {exports} exports, {bytes} bytes received");
    }
}
