using Cloudstate.Es.Annotations;
using Cloudstate.Es.Samples.ShoppingCart;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Cloudstate.Es.TestModel;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Cloudstate.Es.Proxy.Tests;

/// <summary>gRPC server reflection, v1 and v1alpha, describes the discovered entity services well enough to call them.</summary>
public sealed class ReflectionTests(ReflectionTests.ModelBehindProxy model) : IClassFixture<ReflectionTests.ModelBehindProxy>
{
    private const string ModelService = "cloudstate.es.tests.model.Model";

    /// <summary>One proxy in front of the model and the cart for the whole class: the tests only read, but for one call to an entity of its own.</summary>
    public sealed class ModelBehindProxy : IAsyncLifetime
    {
        private readonly TemporaryDirectory data = new();
        private ModelUserFunction userFunction = null!;
        private ProxyServer proxy = null!;

        public GrpcChannel Channel => proxy.Channel;

        public async Task InitializeAsync()
        {
            userFunction = await ModelUserFunction.StartAsync(register: c =>
                c.AddEventSourcedEntity<ShoppingCartEntity>(ShoppingCart.Descriptor, e => e.PersistenceId = "shopping-cart"));
            proxy = await ProxyServer.StartAsync(userFunction.Address, data.Path);
        }

        public async Task DisposeAsync()
        {
            await proxy.DisposeAsync();
            await userFunction.DisposeAsync();
            data.Dispose();
        }
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task Listing_services_names_the_entity_services_and_reflection_itself(string version)
    {
        var response = await AskAsync(version, new ServerReflectionRequest { ListServices = "" });

        var names = response.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains(ModelService, names);
        Assert.Contains("cloudstate.es.tests.model.Two", names);
        Assert.Contains("com.example.shoppingcart.ShoppingCart", names);
        Assert.Contains("grpc.reflection.v1.ServerReflection", names);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", names);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task The_file_containing_a_service_comes_with_all_it_imports_and_builds(string version)
    {
        var file = await ReflectFileAsync(version, ModelService);

        var process = file.FindTypeByName<ServiceDescriptor>("Model")?.FindMethodByName("Process");
        Assert.NotNull(process);
        Assert.Equal("cloudstate.es.tests.model.Request", process.InputType.FullName);
        var id = process.InputType.FindFieldByName("id");
        Assert.True(id.GetOptions()?.GetExtension(EntityKeyExtensions.EntityKey), "the reflected Request.id should keep its entity_key option");
        Assert.Equal(["cloudstate/entity_key.proto"], file.Dependencies.Select(d => d.Name));
    }

    [Theory]
    [InlineData("v1", "cloudstate.es.tests.model.Model.Process")]
    [InlineData("v1", "cloudstate.es.tests.model.RequestAction")]
    [InlineData("v1", "cloudstate.es.tests.model.Request.id")]
    [InlineData("v1alpha", "cloudstate.es.tests.model.Two")]
    [InlineData("v1alpha", ".cloudstate.es.tests.model.Emit")]
    public async Task Methods_messages_and_fields_resolve_to_the_file_declaring_them(string version, string symbol)
    {
        var response = await AskAsync(version, new ServerReflectionRequest { FileContainingSymbol = symbol });

        Assert.Equal("model.proto", NameOf(response.FileDescriptorResponse.FileDescriptorProto[0]));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task A_dependency_is_served_by_file_name_with_its_own_imports(string version)
    {
        var response = await AskAsync(version, new ServerReflectionRequest { FileByFilename = "cloudstate/entity_key.proto" });

        Assert.Equal(
            ["cloudstate/entity_key.proto", "google/protobuf/descriptor.proto"],
            response.FileDescriptorResponse.FileDescriptorProto.Select(NameOf));
    }

    [Fact]
    public async Task A_service_importing_google_apis_comes_with_them_and_builds()
    {
        var file = await ReflectFileAsync("v1", "com.example.shoppingcart.ShoppingCart.AddItem");

        var imports = file.Dependencies.ToDictionary(d => d.Name);
        Assert.Contains("google/protobuf/empty.proto", imports.Keys);
        Assert.Contains("cloudstate/entity_key.proto", imports.Keys);
        Assert.Contains("google/api/http.proto", imports["google/api/annotations.proto"].Dependencies.Select(d => d.Name));
        Assert.Equal("google.protobuf.Empty", file.FindTypeByName<ServiceDescriptor>("ShoppingCart").FindMethodByName("AddItem").OutputType.FullName);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task Unknown_symbols_and_files_are_answered_not_found_and_the_stream_goes_on(string version)
    {
        var responses = await AskAsync(
            version,
            new ServerReflectionRequest { FileContainingSymbol = "cloudstate.es.tests.model.Nope" },
            new ServerReflectionRequest { FileByFilename = "nope.proto" },
            new ServerReflectionRequest { ListServices = "" });

        Assert.All(responses[..2], r => Assert.Equal((int)StatusCode.NotFound, r.ErrorResponse?.ErrorCode));
        Assert.Equal("cloudstate.es.tests.model.Nope", responses[0].OriginalRequest.FileContainingSymbol);
        Assert.NotEmpty(responses[2].ListServicesResponse.Service);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task The_entity_key_option_is_found_as_an_extension_of_field_options(string version)
    {
        var responses = await AskAsync(
            version,
            new ServerReflectionRequest { AllExtensionNumbersOfType = "google.protobuf.FieldOptions" },
            new ServerReflectionRequest { FileContainingExtension = new ExtensionRequest { ContainingType = "google.protobuf.FieldOptions", ExtensionNumber = 1080 } },
            new ServerReflectionRequest { AllExtensionNumbersOfType = "cloudstate.es.tests.model.Request" },
            new ServerReflectionRequest { AllExtensionNumbersOfType = "no.Such" });

        Assert.Contains(1080, responses[0].AllExtensionNumbersResponse.ExtensionNumber);
        Assert.Equal("cloudstate/entity_key.proto", NameOf(responses[1].FileDescriptorResponse.FileDescriptorProto[0]));
        Assert.Empty(responses[2].AllExtensionNumbersResponse.ExtensionNumber);
        Assert.Equal((int)StatusCode.NotFound, responses[3].ErrorResponse?.ErrorCode);
    }

    [Fact]
    public async Task The_model_can_be_called_knowing_only_what_reflection_told()
    {
        var file = await ReflectFileAsync("v1", ModelService);
        var process = file.FindTypeByName<ServiceDescriptor>("Model").FindMethodByName("Process");

        var request = ReflectedMessage.Encode(process.InputType, ("id", "reflected-1"), ("actions", ReflectedMessage.Encode(
            process.InputType.FindFieldByName("actions").MessageType,
            ("emit", ReflectedMessage.Encode(file.FindTypeByName<MessageDescriptor>("Emit"), ("value", "A"))))));
        var method = new Method<byte[], byte[]>(MethodType.Unary, process.Service.FullName, process.Name, ReflectedMessage.Bytes, ReflectedMessage.Bytes);
        var reply = await model.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, request);

        Assert.Equal("A", ReflectedMessage.ReadString(process.OutputType, reply, "message"));
    }

    /// <summary>Asks for the file containing <paramref name="symbol"/> and builds it from the reflected bytes alone, as grpcurl does.</summary>
    private async Task<FileDescriptor> ReflectFileAsync(string version, string symbol)
    {
        var response = await AskAsync(version, new ServerReflectionRequest { FileContainingSymbol = symbol });
        var protos = response.FileDescriptorResponse.FileDescriptorProto;
        Assert.True(protos.Count > 0, $"no file for {symbol}: {response}");
        var files = FileDescriptor.BuildFromByteStrings(InImportOrder(protos), new ExtensionRegistry { EntityKeyExtensions.EntityKey });
        return files.Single(f => f.Name == NameOf(protos[0]));
    }

    /// <summary>The files each after what it imports, as BuildFromByteStrings needs; fails when an import is missing.</summary>
    private static List<ByteString> InImportOrder(IEnumerable<ByteString> protos)
    {
        var byName = protos.ToDictionary(NameOf);
        var ordered = new List<ByteString>();
        var placed = new HashSet<string>();
        foreach (var name in byName.Keys)
        {
            Place(name);
        }

        return ordered;

        void Place(string name)
        {
            Assert.True(byName.ContainsKey(name), $"the reflected files lack {name}; they hold {string.Join(", ", byName.Keys)}");
            if (placed.Add(name))
            {
                foreach (var dependency in FileDescriptorProto.Parser.ParseFrom(byName[name]).Dependency)
                {
                    Place(dependency);
                }

                ordered.Add(byName[name]);
            }
        }
    }

    private static string NameOf(ByteString proto) => FileDescriptorProto.Parser.ParseFrom(proto).Name;

    private async Task<ServerReflectionResponse> AskAsync(string version, ServerReflectionRequest request) => (await AskAsync(version, [request]))[0];

    /// <summary>Sends the requests on one stream, as grpcurl does, and returns the answers as v1 messages (v1alpha ones are the same on the wire).</summary>
    private async Task<ServerReflectionResponse[]> AskAsync(string version, params ServerReflectionRequest[] requests)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var answers = new List<ServerReflectionResponse>();
        if (version == "v1")
        {
            using var call = new ServerReflection.ServerReflectionClient(model.Channel).ServerReflectionInfo(cancellationToken: timeout.Token);
            foreach (var request in requests)
            {
                await call.RequestStream.WriteAsync(request);
            }

            await call.RequestStream.CompleteAsync();
            await foreach (var answer in call.ResponseStream.ReadAllAsync(timeout.Token))
            {
                answers.Add(answer);
            }
        }
        else
        {
            using var call = new V1Alpha.ServerReflection.ServerReflectionClient(model.Channel).ServerReflectionInfo(cancellationToken: timeout.Token);
            foreach (var request in requests)
            {
                await call.RequestStream.WriteAsync(V1Alpha.ServerReflectionRequest.Parser.ParseFrom(request.ToByteString()));
            }

            await call.RequestStream.CompleteAsync();
            await foreach (var answer in call.ResponseStream.ReadAllAsync(timeout.Token))
            {
                answers.Add(ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()));
            }
        }

        Assert.Equal(requests.Length, answers.Count);
        return [.. answers];
    }
}

/// <summary>Messages written and read by field name from reflected descriptors alone, with no generated code, as grpcurl does.</summary>
internal static class ReflectedMessage
{
    public static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    /// <summary>The message of <paramref name="type"/> with the given string fields and embedded messages (already encoded).</summary>
    public static byte[] Encode(MessageDescriptor type, params (string Field, object Value)[] fields)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var (name, value) in fields)
        {
            var field = type.FindFieldByName(name) ?? throw new ArgumentException($"{type.FullName} has no field {name}");
            output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
            switch (field.FieldType, value)
            {
                case (FieldType.String, string text):
                    output.WriteString(text);
                    break;
                case (FieldType.Message, byte[] message):
                    output.WriteBytes(ByteString.CopyFrom(message));
                    break;
                default:
                    throw new ArgumentException($"{type.FullName}.{name} is a {field.FieldType}, not a {value.GetType().Name}");
            }
        }

        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>The string field <paramref name="name"/> of a message of <paramref name="type"/>; empty when absent.</summary>
    public static string ReadString(MessageDescriptor type, byte[] message, string name)
    {
        var number = type.FindFieldByName(name).FieldNumber;
        var input = new CodedInputStream(message);
        var value = "";
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == number)
            {
                value = input.ReadString();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return value;
    }
}
