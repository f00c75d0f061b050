using Cloudstate.Es.Proxy.Http;

namespace Cloudstate.Es.Proxy.Tests.Http;

public sealed class PathTemplateTests
{
    [Theory]
    [InlineData("/carts/{user_id}", "/carts/alice", "user_id=alice")]
    [InlineData("/carts/{user_id}", "/carts/al%20ice", "user_id=al ice")]
    [InlineData("/carts/{user_id}/items/{product_id}/remove", "/carts/a/items/p/remove", "user_id=a product_id=p")]
    [InlineData("/v1/{name=shelves/*/books/*}", "/v1/shelves/s1/books/b2", "name=shelves/s1/books/b2")]
    [InlineData("/v1/{book.shelf.id}/x", "/v1/42/x", "book.shelf.id=42")]
    [InlineData("/files/{path=**}", "/files/a/b/c.txt", "path=a/b/c.txt")]
    [InlineData("/files/{path=**}", "/files", "path=")]
    [InlineData("/carts/{user_id}:clear", "/carts/bob:clear", "user_id=bob")]
    [InlineData("/carts/{user_id}", "/carts/a:b", "user_id=a:b")]
    [InlineData("/static/*/end", "/static/anything/end", "")]
    [InlineData("/pkg.Service/Method", "/pkg.Service/Method", "")]
    public void A_path_that_fits_binds_each_variable(string template, string path, string expected)
    {
        Assert.True(PathTemplate.Parse(template).TryMatch(path, out var bindings), $"{path} should match {template}");
        Assert.Equal(expected, string.Join(' ', bindings.Select(b => $"{b.Key}={b.Value}")));
    }

    [Theory]
    [InlineData("/carts/{user_id}", "/carts")]
    [InlineData("/carts/{user_id}", "/carts/")]
    [InlineData("/carts/{user_id}", "/carts/a/b")]
    [InlineData("/carts/{user_id}", "/cart/a")]
    [InlineData("/v1/{name=shelves/*/books/*}", "/v1/shelves/s1/books")]
    [InlineData("/v1/{name=shelves/*/books/*}", "/v1/racks/s1/books/b2")]
    [InlineData("/carts/{user_id}:clear", "/carts/bob")]
    [InlineData("/carts/{user_id}:clear", "/carts/bob:empty")]
    [InlineData("/Service/Method", "/service/method")]
    public void A_path_that_does_not_fit_does_not_match(string template, string path)
    {
        Assert.False(PathTemplate.Parse(template).TryMatch(path, out _));
    }

    [Theory]
    [InlineData("carts/{id}", "does not start with '/'")]
    [InlineData("/carts/{id", "is not closed")]
    [InlineData("/carts/{}", "is not a field path")]
    [InlineData("/carts/{a..b}", "is not a field path")]
    [InlineData("/carts/{id}/{id}", "bound twice")]
    [InlineData("/**/x", "'**' before the last segment")]
    [InlineData("/a//b", "an empty segment")]
    [InlineData("/a/{x={y}}", "a variable inside a variable")]
    [InlineData("/a:", "an empty custom verb")]
    public void A_malformed_template_is_refused_with_the_reason(string template, string reason)
    {
        var error = Assert.Throws<FormatException>(() => PathTemplate.Parse(template));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains(template, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_that_differ_only_in_variable_names_have_the_same_shape()
    {
        Assert.Equal(PathTemplate.Parse("/carts/{user_id}").Shape, PathTemplate.Parse("/carts/{id}").Shape);
        Assert.NotEqual(PathTemplate.Parse("/carts/{id}").Shape, PathTemplate.Parse("/carts/{id}:clear").Shape);
        Assert.NotEqual(PathTemplate.Parse("/carts/{id}").Shape, PathTemplate.Parse("/carts/{id=**}").Shape);
    }
}
