using System.Text.Encodings.Web;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Cloudstate.Es.Proxy.Http;

/// <summary>
/// An HTTP/JSON error as grpc-gateway and Google's transcoders write it, so that their clients read it unchanged:
/// <c>{"code": 3, "message": "...", "details": []}</c> (the gRPC code as a number), with the HTTP status that code maps to.
/// </summary>
internal static class HttpErrors
{
    // Messages quote field names and values; the relaxed encoder keeps them readable (JSON escaping still applies).
    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Answers with <paramref name="code"/>'s HTTP status and the error body.</summary>
    public static Task WriteAsync(HttpContext context, StatusCode code, string message) => WriteAsync(context, StatusFor(code), code, message);

    /// <summary>Answers with <paramref name="status"/> (where HTTP has a closer status than the code's, as 405, 413) and the error body.</summary>
    public static async Task WriteAsync(HttpContext context, int status, StatusCode code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter, Writer))
        {
            json.WriteStartObject();
            json.WriteNumber("code", (int)code);
            json.WriteString("message", message);
            json.WriteStartArray("details");
            json.WriteEndArray();
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The HTTP status for each gRPC status, as grpc-gateway maps them.</summary>
    public static int StatusFor(StatusCode code) => code switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Cancelled => 499,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };
}
