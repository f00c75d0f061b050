using System.Text;
using Cloudstate.Es.Proxy.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloudstate.Es.Proxy.Http;

/// <summary>
/// Holds an HTTP/JSON request's body to the largest message: a declared length over it is answered 413 before a byte of
/// the body is read, a chunked body is stopped as it passes it, and an HTTP/1.1 connection that got a 413 is closed
/// rather than drained. gRPC requests pass untouched: gRPC bounds each message itself (RESOURCE_EXHAUSTED).
/// </summary>
internal sealed class RequestBodyLimit(FrontendOptions options)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = options.MaxMessageSize;
        context.Response.OnStarting(CloseAfterTooLarge, context);
        if (request.ContentLength > options.MaxMessageSize)
        {
            await RefuseAsync(context).ConfigureAwait(false);
            return;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await RefuseAsync(context).ConfigureAwait(false);
        }
    }

    private Task RefuseAsync(HttpContext context) => HttpErrors.WriteAsync(
        context, StatusCodes.Status413PayloadTooLarge, Grpc.Core.StatusCode.ResourceExhausted, $"The body is larger than {options.MaxMessageSize} bytes.");

    /// <summary>The rest of a refused body is never read, so the connection cannot carry another request (HTTP/2 resets
    /// just the stream).</summary>
    private static Task CloseAfterTooLarge(object state)
    {
        var context = (HttpContext)state;
        if (context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge && !HttpProtocol.IsHttp2(context.Request.Protocol) && !HttpProtocol.IsHttp3(context.Request.Protocol))
            context.Response.Headers.Connection = "close";
        return Task.CompletedTask;
    }
}
