using Cloudstate.Es.Load;

// Usage (--entity cart|counter, default cart, picks the sample entity of load, seed, read and startup):
//   load  --target 127.0.0.1:9000 [--entity cart|counter] [--clients 32] [--seconds 10 | --count N] [--entities 1000]
//         [--rate N] [--warmup SECONDS] [--protocol grpc|json] [--read] [--label NAME] [--proxy-pid PID]
//         [--user-function-pid PID]
//         (cart: AddItem to cart-{0..entities-1}; counter: Increment by 1 of counter-{0..entities-1}; --carts is the
//          old name of --entities. json: the same command as POST /cart/{user}/items/add or
//          POST /counters/{id}/increment over HTTP/1.1. --rate: open loop at N commands/s across the clients, latency
//          from each command's due time; without it each client sends as soon as answered. --warmup: the same load for
//          that many seconds first, not measured (default 0). --read: GetCart or GetCounter instead, nothing to
//          journal. --proxy-pid: CPU and peak RSS of that process during the measured load, --user-function-pid: CPU
//          of that one; the load's own CPU always; the last lines are "RESULT load.NAME.*")
//   echo-server --port 9100                         (AddItem of the cart's service answered at once with Empty)
//   otlp-sink --port 4318                           (an OTLP/HTTP receiver taking every export, for the traced case)
//   seed  [--entity cart|counter] [--id ID] [--warm-id ID2] --events N [--journal sqlite --data DIR | --journal postgres
//         --postgres CONNECTION-STRING --schema NAME | --journal eventstoredb --eventstoredb http://HOST:PORT]
//         (writes N events for one instance straight into the journal the proxy will read: ItemAdded or Incremented;
//          --cart is the old name of --id; --warm-id: as many again for a second instance, for read --warm-id)
//   read  --target 127.0.0.1:9000 [--entity cart|counter] [--id ID] [--warm-id ID2] [--label sqlite]
//         (times one read: with a cold entity, that is the replay; then a warm one: "RESULT replay.NAME.cold.*". With
//          --warm-id, the same for a second instance seeded as long: the replay on compiled paths, "replay.NAME.warm.*")
//   activate --target 127.0.0.1:9000 --entities N [--clients 32] [--proxy-pid PID] [--label sqlite]
//         [--passivation-timeout 30]
//         (one Increment to each of N new counters; the proxy's RSS and live heap (after a full GC induced through its
//          diagnostics port) before and after: "RESULT memory.NAME.*". Use a
//          freshly started proxy: one that has passivated entities reuses their memory and shows less. Give the
//          proxy's --passivation-timeout when it is not the default, for the warning of a run too slow for it)
//   startup --target 127.0.0.1:9000 [--entity cart|counter] [--label sqlite] -- COMMAND ARGS...
//         (starts COMMAND, a proxy whose user function already runs; times its port and first answered read:
//          "RESULT startup.NAME.*"; then stops it with SIGTERM)
var verb = args.FirstOrDefault() ?? "load";
// What follows "--" is a command line of its own, never options of the verb.
var options = args.Skip(1).TakeWhile(a => a != "--").ToArray();
var rest = args.Skip(1).SkipWhile(a => a != "--").Skip(1).ToArray();
var arguments = new Arguments(options);
switch (verb)
{
    case "load":
        await new LoadRun(LoadOptions.From(arguments)).RunAsync();
        return 0;
    case "echo-server":
        await EchoServer.RunAsync(arguments.Int("--port", 9100));
        return 0;
    case "otlp-sink":
        await OtlpSink.RunAsync(arguments.Int("--port", 4318));
        return 0;
    case "seed":
        await using (var journal = await SeedJournal.OpenAsync(arguments))
        {
            foreach (var id in new[] { Id(arguments), arguments.Find("--warm-id") }.OfType<string>())
                await JournalSeed.RunAsync(EntityKinds.From(arguments), id, arguments.Int("--events", 100_000), journal);
        }

        return 0;
    case "read":
        await ReplayRead.RunAsync(EntityKinds.From(arguments), Target(arguments), Id(arguments), arguments.Find("--warm-id"), arguments.Text("--label", "sqlite"));
        return 0;
    case "activate":
        await new ActivationRun(
            Target(arguments), arguments.Int("--entities", 10_000), arguments.Int("--clients", 32), arguments.OptionalInt("--proxy-pid"),
            arguments.Text("--label", "sqlite"), TimeSpan.FromSeconds(arguments.Int("--passivation-timeout", 30))).RunAsync();
        return 0;
    case "startup":
        return await new StartupRun(EntityKinds.From(arguments), Target(arguments), arguments.Text("--label", "sqlite"), rest).RunAsync();
    default:
        Console.Error.WriteLine($"unknown verb '{verb}'; known: load, echo-server, seed, read, activate, startup");
        return 2;
}

static string Target(Arguments arguments) => arguments.Text("--target", "127.0.0.1:9000");

// The instance a seed writes and a read reads; --cart is its name from before the counter.
static string Id(Arguments arguments) => arguments.Find("--id") ?? arguments.Text("--cart", "replay");
