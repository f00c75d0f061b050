using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Reflection.V1;
using RequestCase = Grpc.Reflection.V1.ServerReflectionRequest.MessageRequestOneofCase;

namespace Cloudstate.Es.Proxy.Reflection;

/// <summary>Answers server reflection requests from the reflected files; both protocol versions share it, in v1 messages.</summary>
internal sealed class ReflectionResponder(ReflectedFiles files)
{
    public ServerReflectionResponse Respond(ServerReflectionRequest request)
    {
        var response = request.MessageRequestCase switch
        {
            RequestCase.ListServices => new ServerReflectionResponse
            {
                ListServicesResponse = new ListServiceResponse { Service = { files.ServiceNames.Select(name => new ServiceResponse { Name = name }) } },
            },
            RequestCase.FileByFilename => FileWithImports(files.FileByName(request.FileByFilename), $"No file named {request.FileByFilename}."),
            RequestCase.FileContainingSymbol => FileWithImports(files.FileContainingSymbol(request.FileContainingSymbol), $"No symbol {request.FileContainingSymbol}."),
            RequestCase.FileContainingExtension => FileWithImports(
                files.FileContainingExtension(request.FileContainingExtension.ContainingType, request.FileContainingExtension.ExtensionNumber),
                $"No extension {request.FileContainingExtension.ExtensionNumber} of {request.FileContainingExtension.ContainingType}."),
            RequestCase.AllExtensionNumbersOfType => ExtensionNumbers(request.AllExtensionNumbersOfType),
            _ => Error(StatusCode.Unimplemented, "The request asks for nothing this server knows how to answer."),
        };
        response.ValidHost = request.Host;
        response.OriginalRequest = request;
        return response;
    }

    /// <summary>The file first (clients take the first file as the answer), then everything it imports, transitively, once each.</summary>
    private static ServerReflectionResponse FileWithImports(FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            return Error(StatusCode.NotFound, notFound);
        }

        var ordered = new List<FileDescriptor> { file };
        var seen = new HashSet<string>(StringComparer.Ordinal) { file.Name };
        for (var i = 0; i < ordered.Count; i++)
        {
            ordered.AddRange(ordered[i].Dependencies.Where(dependency => seen.Add(dependency.Name)));
        }

        return new ServerReflectionResponse
        {
            FileDescriptorResponse = new FileDescriptorResponse { FileDescriptorProto = { ordered.Select(f => f.SerializedData) } },
        };
    }

    private ServerReflectionResponse ExtensionNumbers(string messageType) => files.ExtensionNumbersOf(messageType) is { } numbers
        ? new ServerReflectionResponse
        {
            AllExtensionNumbersResponse = new ExtensionNumberResponse { BaseTypeName = messageType, ExtensionNumber = { numbers } },
        }
        : Error(StatusCode.NotFound, $"No message type {messageType}.");

    private static ServerReflectionResponse Error(StatusCode code, string message) =>
        new() { ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message } };
}
