using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudstate.Es.Proxy.Frontend;
using Cloudstate.Es.Proxy.Hosting;
using Cloudstate.Es.Proxy.Http.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Cloudstate.Es.Proxy.Http;

/// <summary>
/// The HTTP/JSON front end: every request that is not gRPC is matched against the google.api.http routes, turned into
/// a command, and answered with the reply as JSON. Errors are JSON in grpc-gateway's shape (see <see cref="HttpErrors"/>):
/// 400 for a request that cannot become a command, 404/405 for no route, the status a user failure chose (500 without
/// one), 503 when the entity is unavailable.
/// </summary>
internal sealed class HttpJsonFrontend(HttpRouteTable routes, JsonCodec codec, CommandRouter router, CommandMetadata metadata, FrontendOptions options)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var route = routes.Match(request.Method, request.Path.Value ?? "/", out var bindings);
        if (route is null)
        {
            var allowed = routes.MatchesOtherMethod(request.Method, request.Path.Value ?? "/");
            var noRoute = $"No route for {request.Method} {request.Path}{(allowed ? " with this method" : "")}.";
            await (allowed
                ? HttpErrors.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, StatusCode.Unimplemented, noRoute)
                : HttpErrors.WriteAsync(context, StatusCode.NotFound, noRoute)).ConfigureAwait(false);
            return;
        }

        ByteString command;
        try
        {
            var body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
            var json = RequestBinder.Bind(route, body, bindings, request.Query);
            command = UnsafeByteOperations.UnsafeWrap(codec.ToWire(route.Method.Descriptor.InputType, json));
        }
        catch (Exception e) when (e is BadRequestException or JsonCodecException)
        {
            await HttpErrors.WriteAsync(context, StatusCode.InvalidArgument, e.Message).ConfigureAwait(false);
            return;
        }
        catch (BodyTooLargeException e)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, StatusCode.ResourceExhausted, e.Message).ConfigureAwait(false);
            return;
        }

        CommandReply reply;
        try
        {
            var headers = CommandMetadata.FromHeaders(request.Headers, grpc: false);
            reply = await router.HandleAsync(route.Method, command, headers, context.RequestAborted).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            await HttpErrors.WriteAsync(context, e.StatusCode, e.Status.Detail).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        // A binary entry goes as its -bin name with the bytes in base64, as gRPC carries it over HTTP/2.
        foreach (var (name, text, binary) in metadata.ToHeaders(reply.Metadata, route.Method.Service.Name, route.Method.Name))
            context.Response.Headers.Append(name, text ?? Convert.ToBase64String(binary!));
        await WriteReplyAsync(context.Response.BodyWriter, route, reply.Payload).ConfigureAwait(false);
    }

    private async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxMessageSize)
            throw new BodyTooLargeException($"The body is larger than {options.MaxMessageSize} bytes.");
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.Buffer.Length > options.MaxMessageSize)
                throw new BodyTooLargeException($"The body is larger than {options.MaxMessageSize} bytes.");
            if (read.IsCompleted)
            {
                var body = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return body;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private async Task WriteReplyAsync(PipeWriter body, HttpRoute route, ByteString reply)
    {
        var output = route.Method.Descriptor.OutputType;
        await using (var writer = new Utf8JsonWriter(body))
        {
            if (route.ResponseBody.Length == 0)
            {
                codec.WriteJson(writer, output, reply.Span);
            }
            else
            {
                var field = output.FindFieldByName(route.ResponseBody);
                var whole = JsonNode.Parse(codec.ToJson(output, reply.Span))!.AsObject();
                var value = whole[field.JsonName];
                if (value is null)
                    writer.WriteRawValue(DefaultJson(field));
                else
                    value.WriteTo(writer);
            }
        }

        await body.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>The JSON of a field left at its default, which proto3 JSON leaves out of the message.</summary>
    private static string DefaultJson(FieldDescriptor field) => field switch
    {
        { IsMap: true } => "{}",
        { IsRepeated: true } => "[]",
        { FieldType: FieldType.Message } => field.MessageType.FullName == "google.protobuf.Value" ? "null" : "{}",
        { FieldType: FieldType.String or FieldType.Bytes } => "\"\"",
        { FieldType: FieldType.Bool } => "false",
        { FieldType: FieldType.Enum } => $"\"{field.EnumType.Values[0].Name}\"",
        { FieldType: FieldType.Int64 or FieldType.UInt64 or FieldType.SInt64 or FieldType.Fixed64 or FieldType.SFixed64 } => "\"0\"",
        _ => "0",
    };

    private sealed class BodyTooLargeException(string message) : Exception(message);
}
