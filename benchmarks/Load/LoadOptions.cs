namespace Cloudstate.Es.Load;

/// <summary>One load run: where, how many clients, and for how long (seconds) or how many commands (count).</summary>
internal sealed record LoadOptions(string Target, int Clients, int Seconds, int? Count, int Carts, string Protocol, string Label, int? ProxyPid)
{
    public static LoadOptions From(Arguments arguments)
    {
        var protocol = arguments.Text("--protocol", "grpc");
        return new LoadOptions(
            arguments.Text("--target", "127.0.0.1:9000"),
            arguments.Int("--clients", 32),
            arguments.Int("--seconds", 10),
            arguments.OptionalInt("--count"),
            arguments.Int("--carts", 1000),
            protocol,
            arguments.Text("--label", protocol),
            arguments.OptionalInt("--proxy-pid"));
    }
}
