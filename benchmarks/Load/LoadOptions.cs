namespace Cloudstate.Es.Load;

/// <summary>
/// One load run: which entity, where, how many clients, for how long (seconds) or how many commands (count), and,
/// when paced, the total rate in commands per second (open loop); without a rate each client sends as fast as it is answered.
/// The warm-up is the same load for that many seconds before the measured part, unmeasured: a freshly started proxy is
/// still compiling its hot paths (tiered JIT) for about ten seconds. <see cref="Read"/>: the entity's read instead of
/// its write command, nothing to journal. The CPU of the processes given (the proxy, the user function) and of the
/// load itself are measured over the measured part.
/// </summary>
internal sealed record LoadOptions(
    EntityKind Entity, string Target, int Clients, int Seconds, int? Count, int Entities, int? Rate, string Protocol, string Label, int? ProxyPid,
    int? UserFunctionPid, int WarmupSeconds, bool Read)
{
    public static LoadOptions From(Arguments arguments)
    {
        var protocol = arguments.Text("--protocol", "grpc");
        var rate = arguments.OptionalInt("--rate");
        if (rate <= 0)
            throw new ArgumentException($"--rate: {rate} commands/s is not a rate; leave it out for a closed loop");
        var warmup = arguments.Int("--warmup", 0);
        if (warmup < 0)
            throw new ArgumentException($"--warmup: {warmup} s is not a duration; 0 (the default) is none");
        return new LoadOptions(
            EntityKinds.From(arguments),
            arguments.Text("--target", "127.0.0.1:9000"),
            arguments.Int("--clients", 32),
            arguments.Int("--seconds", 10),
            arguments.OptionalInt("--count"),
            // --carts is the name from before the counter, still accepted.
            arguments.OptionalInt("--entities") ?? arguments.Int("--carts", 1000),
            rate,
            protocol,
            arguments.Text("--label", protocol),
            arguments.OptionalInt("--proxy-pid"),
            arguments.OptionalInt("--user-function-pid"),
            warmup,
            arguments.Flag("--read"));
    }
}
