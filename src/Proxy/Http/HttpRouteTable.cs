using Cloudstate.Es.Proxy.Discovery;

namespace Cloudstate.Es.Proxy.Http;

/// <summary>Every HTTP route of the discovered entity services, checked for conflicts, matched per request.</summary>
internal sealed class HttpRouteTable
{
    private readonly Dictionary<string, HttpRoute[]> byMethod;

    private HttpRouteTable(Dictionary<string, HttpRoute[]> byMethod) => this.byMethod = byMethod;

    public IEnumerable<HttpRoute> Routes => byMethod.Values.SelectMany(r => r);

    /// <summary>The routes of every method of <paramref name="catalog"/>; throws <see cref="FormatException"/> for a bad rule or two routes that collide.</summary>
    public static HttpRouteTable Build(EntityCatalog catalog)
    {
        var routes = catalog.Services.SelectMany(s => s.Methods.Values).SelectMany(HttpRoute.For).ToList();
        var seen = new Dictionary<(string, string), HttpRoute>();
        foreach (var route in routes)
        {
            if (!seen.TryAdd((route.HttpMethod, route.Template.Shape), route))
                throw new FormatException($"The HTTP route {route} collides with {seen[(route.HttpMethod, route.Template.Shape)]}.");
        }

        // Templates with more literal segments, and with custom verbs, are tried first.
        var byMethod = routes.GroupBy(r => r.HttpMethod, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => g.OrderByDescending(r => r.Template.Verb is not null).ThenByDescending(r => r.Template.LiteralCount).ToArray(),
            StringComparer.Ordinal);
        return new HttpRouteTable(byMethod);
    }

    /// <summary>The route for <paramref name="httpMethod"/> and <paramref name="path"/>, with its path bindings; null when none matches.</summary>
    public HttpRoute? Match(string httpMethod, string path, out List<KeyValuePair<string, string>> bindings)
    {
        bindings = [];
        if (!byMethod.TryGetValue(httpMethod, out var candidates))
            return null;
        foreach (var route in candidates)
        {
            if (route.Template.TryMatch(path, out bindings))
                return route;
        }

        return null;
    }

    /// <summary>True when some route has this path under another HTTP method (the answer is then 405, not 404).</summary>
    public bool MatchesOtherMethod(string httpMethod, string path) =>
        byMethod.Where(m => m.Key != httpMethod).SelectMany(m => m.Value).Any(r => r.Template.TryMatch(path, out _));
}
