using Cloudstate.Es.Tck.ModelCases;
using Cloudstate.Es.Tck.ProxyCases;

namespace Cloudstate.Es.Tck.Kit;

/// <summary>Every case of the kit, by family: the one place the command line and the tests take them from.</summary>
public static class TckCases
{
    /// <summary>The families this build has, in the order "all" runs them.</summary>
    public static IReadOnlyList<string> Families { get; } = [ModelTck.Family, ProxyTck.Family];

    /// <summary>The model family: checks a support library through a user function serving the TCK model.</summary>
    public static IReadOnlyList<TckCase> Model => ModelTck.Cases;

    /// <summary>The proxy family: checks a proxy, as its client and through the interceptor in front of the user function.</summary>
    public static IReadOnlyList<TckCase> Proxy => ProxyTck.Cases;

    /// <summary>Every case of every family.</summary>
    public static IEnumerable<TckCase> All => Families.SelectMany(For);

    /// <summary>The cases of <paramref name="family"/>.</summary>
    public static IReadOnlyList<TckCase> For(string family) => family switch
    {
        ModelTck.Family => Model,
        ProxyTck.Family => Proxy,
        _ => throw new ArgumentException($"No TCK family named '{family}' in this build (families: {string.Join(", ", Families)}).", nameof(family)),
    };
}
