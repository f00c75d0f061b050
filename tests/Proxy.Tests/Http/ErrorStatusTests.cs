using System.Net;
using System.Text;
using System.Text.Json;
using Cloudstate.Es.Samples.ShoppingCart.Api;
using Cloudstate.Es.TestModel.Http;
using Grpc.Core;

namespace Cloudstate.Es.Proxy.Tests.Http;

/// <summary>
/// The status a user function chooses for a failure reaches both kinds of client: the gRPC status, and over HTTP/JSON
/// the mapped HTTP status with grpc-gateway's error body.
/// </summary>
public sealed class ErrorStatusTests(HttpFrontendFixture fixture) : IClassFixture<HttpFrontendFixture>
{
    private readonly string id = Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [InlineData(StatusCode.InvalidArgument, HttpStatusCode.BadRequest)]
    [InlineData(StatusCode.FailedPrecondition, HttpStatusCode.BadRequest)]
    [InlineData(StatusCode.OutOfRange, HttpStatusCode.BadRequest)]
    [InlineData(StatusCode.Unauthenticated, HttpStatusCode.Unauthorized)]
    [InlineData(StatusCode.PermissionDenied, HttpStatusCode.Forbidden)]
    [InlineData(StatusCode.NotFound, HttpStatusCode.NotFound)]
    [InlineData(StatusCode.AlreadyExists, HttpStatusCode.Conflict)]
    [InlineData(StatusCode.Aborted, HttpStatusCode.Conflict)]
    [InlineData(StatusCode.ResourceExhausted, HttpStatusCode.TooManyRequests)]
    [InlineData(StatusCode.Unimplemented, HttpStatusCode.NotImplemented)]
    [InlineData(StatusCode.Unavailable, HttpStatusCode.ServiceUnavailable)]
    [InlineData(StatusCode.DeadlineExceeded, HttpStatusCode.GatewayTimeout)]
    [InlineData(StatusCode.Internal, HttpStatusCode.InternalServerError)]
    [InlineData(StatusCode.DataLoss, HttpStatusCode.InternalServerError)]
    [InlineData(StatusCode.Unknown, HttpStatusCode.InternalServerError)]
    public async Task A_failure_with_a_status_is_that_status_over_gRPC_and_its_HTTP_status_over_JSON(StatusCode code, HttpStatusCode http)
    {
        var name = $"fail:{(int)code}";
        var message = $"Put refuses thing {id} with status {(int)code}";

        var error = await Assert.ThrowsAsync<RpcException>(() => new Things.ThingsClient(fixture.Channel).PutAsync(new Thing { Id = id, Name = name }).ResponseAsync);
        var (status, body) = await PutAsync(name);

        Assert.Equal((code, message), (error.StatusCode, error.Status.Detail));
        Assert.Equal(http, status);
        Assert.Equal(((int)code, message, 0), body);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(-3)]
    public async Task A_failure_with_OK_or_a_number_gRPC_does_not_define_is_UNKNOWN(int code)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => new Things.ThingsClient(fixture.Channel).PutAsync(new Thing { Id = id, Name = $"fail:{code}" }).ResponseAsync);
        var (status, body) = await PutAsync($"fail:{code}");

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal((HttpStatusCode.InternalServerError, (int)StatusCode.Unknown), (status, body.Code));
    }

    [Fact]
    public async Task The_sample_cart_refuses_a_bad_quantity_as_INVALID_ARGUMENT_and_a_missing_item_as_NOT_FOUND()
    {
        var cart = new ShoppingCart.ShoppingCartClient(fixture.Channel);
        var negative = await Assert.ThrowsAsync<RpcException>(() => cart.AddItemAsync(new AddLineItem { UserId = id, ProductId = "apple", Name = "Apple", Quantity = -1 }).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => cart.RemoveItemAsync(new RemoveLineItem { UserId = id, ProductId = "kiwi" }).ResponseAsync);
        var (negativeStatus, negativeBody) = await SendAsync(HttpMethod.Post, $"/cart/{id}/items/add", """{"productId":"apple","name":"Apple","quantity":0}""");
        var (missingStatus, missingBody) = await SendAsync(HttpMethod.Post, $"/cart/{id}/items/kiwi/remove", null);

        Assert.Equal((StatusCode.InvalidArgument, "Cannot add -1 of item apple: the quantity must be at least 1."), (negative.StatusCode, negative.Status.Detail));
        Assert.Equal((StatusCode.NotFound, "Cannot remove item kiwi because it is not in the cart."), (missing.StatusCode, missing.Status.Detail));
        Assert.Equal((HttpStatusCode.BadRequest, 3, "Cannot add 0 of item apple: the quantity must be at least 1."), (negativeStatus, negativeBody.Code, negativeBody.Message));
        Assert.Equal((HttpStatusCode.NotFound, 5, "Cannot remove item kiwi because it is not in the cart."), (missingStatus, missingBody.Code, missingBody.Message));
    }

    [Fact]
    public async Task Errors_of_the_front_end_itself_have_the_same_body()
    {
        var (unknownRoute, unknownBody) = await SendAsync(HttpMethod.Get, "/nowhere", null);
        var (wrongMethod, wrongBody) = await SendAsync(HttpMethod.Post, $"/things/{id}", "{}");
        var (badJson, badBody) = await SendAsync(HttpMethod.Put, $"/things/{id}", """{"name": x}""");

        Assert.Equal((HttpStatusCode.NotFound, 5, "No route for GET /nowhere."), (unknownRoute, unknownBody.Code, unknownBody.Message));
        Assert.Equal((HttpStatusCode.MethodNotAllowed, 12), (wrongMethod, wrongBody.Code));
        Assert.Equal((HttpStatusCode.BadRequest, 3), (badJson, badBody.Code));
        Assert.StartsWith("The body is not valid JSON", badBody.Message, StringComparison.Ordinal);
    }

    private Task<(HttpStatusCode Status, (int Code, string Message, int Details) Body)> PutAsync(string name) =>
        SendAsync(HttpMethod.Put, $"/things/{id}", JsonSerializer.Serialize(new { name }));

    private async Task<(HttpStatusCode Status, (int Code, string Message, int Details) Body)> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await fixture.Http.SendAsync(request);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        return (response.StatusCode, (root.GetProperty("code").GetInt32(), root.GetProperty("message").GetString()!, root.GetProperty("details").GetArrayLength()));
    }
}
