namespace Cloudstate.Es.Journal.EventStoreDb;

/// <summary>Which EventStoreDB node the journal and snapshot store use, as whom, and how long they wait for it.</summary>
public sealed class EventStoreDbOptions
{
    /// <param name="address">The node's gRPC address, its HTTP port: <c>http://host:2113</c> for an insecure node, <c>https://</c> with TLS.</param>
    public EventStoreDbOptions(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Scheme is not ("http" or "https") || !address.IsAbsoluteUri)
            throw new ArgumentException($"'{address}' is not an http:// or https:// address.", nameof(address));
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The user the calls authenticate as (HTTP basic); null for an insecure node, which needs none.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>
    /// Put before every stream name, so several journals can share one node without seeing each other's streams (each test
    /// class takes its own). Default empty: the stream of an entity instance is its persistence id and key, as in the other
    /// backends.
    /// </summary>
    public string StreamPrefix { get; init; } = "";

    /// <summary>
    /// Most appends in flight at once on the journal's BatchAppend call; more wait for a free slot. The node commits
    /// what arrives while its writer is busy together, so this is the group commit's bound. Default 512.
    /// </summary>
    public int MaxAppendsInFlight
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 512;

    /// <summary>How long one call (a read, an append) may take before it fails. Default 10 s.</summary>
    public TimeSpan CallTimeout
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an append whose connection dropped after it was sent may spend being retried (the same event ids at the
    /// same expected revision: the node writes them at most once) before its outcome is reported unknown
    /// (<see cref="AppendOutcomeUnknownException"/>). Default 10 s.
    /// </summary>
    public TimeSpan OutcomeTimeout
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromSeconds(10);
}
