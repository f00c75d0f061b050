namespace Cloudstate.Es.Tck.Kit;

/// <summary>
/// What the kit runs against: the user function (host:port), and for the proxy family the proxy (host:port), which
/// must be configured to reach the user function through the kit's interceptor.
/// </summary>
public sealed class TckTarget
{
    public required string UserFunction { get; init; }

    public string? Proxy { get; init; }

    /// <summary>What the interceptor between the proxy and the user function recorded; the proxy family needs it.</summary>
    public Interception.TrafficLog? Traffic { get; init; }
}

/// <summary>
/// One conformance case: <see cref="Family"/> is "model" (the kit acts as a proxy towards a user function: it checks a
/// support library) or "proxy" (the kit is the proxy's client and watches its traffic: it checks a proxy). A case
/// passes when <see cref="RunAsync"/> returns and fails with the message of what it throws.
/// </summary>
public sealed record TckCase(string Family, string Name, Func<TckTarget, CancellationToken, Task> RunAsync)
{
    public override string ToString() => $"{Family}: {Name}";
}

/// <summary>A case's check did not hold; the message says what was expected and what came.</summary>
public sealed class TckFailure(string message) : Exception(message);
