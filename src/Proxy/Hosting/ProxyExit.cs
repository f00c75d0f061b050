namespace Cloudstate.Es.Proxy.Hosting;

/// <summary>The process's exit code when the proxy stops for a reason other than being asked to.</summary>
internal sealed class ProxyExit
{
    /// <summary>The node was evicted from the cluster or lost it; a supervisor should start it again.</summary>
    public const int LeftCluster = 3;

    public int Code { get; private set; }

    public void Fail(int code) => Code = code;
}
