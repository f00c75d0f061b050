using Cloudstate.Es.Load;

// Usage:
//   load  --target 127.0.0.1:9000 [--clients 32] [--seconds 10 | --count N] [--carts 1000] [--protocol grpc|json]
//         [--label NAME] [--proxy-pid PID]
//         (json: POST /cart/{user}/items/add with a JSON body over HTTP/1.1, the same command as gRPC AddItem;
//          --proxy-pid: CPU and peak RSS of that process during the load; the last lines are "RESULT load.NAME.*")
//   echo-server --port 9100                         (AddItem of the cart's service answered at once with Empty)
//   seed  --data DIR --cart USER --events N        (writes N ItemAdded events straight into the SQLite journal)
//   read  --target 127.0.0.1:9000 --cart USER [--label sqlite]
//         (times one GetCart: with a cold entity, that is the replay; then a warm one)
var arguments = new Arguments(args.Skip(1).ToArray());
switch (args.FirstOrDefault() ?? "load")
{
    case "load":
        await new LoadRun(LoadOptions.From(arguments)).RunAsync();
        return 0;
    case "echo-server":
        await EchoServer.RunAsync(arguments.Int("--port", 9100));
        return 0;
    case "seed":
        await JournalSeed.RunAsync(arguments.Text("--data", "data"), arguments.Text("--cart", "replay"), arguments.Int("--events", 100_000));
        return 0;
    case "read":
        await ReplayRead.RunAsync(arguments.Text("--target", "127.0.0.1:9000"), arguments.Text("--cart", "replay"), arguments.Text("--label", "sqlite"));
        return 0;
    default:
        Console.Error.WriteLine($"unknown verb '{args[0]}'; known: load, echo-server, seed, read");
        return 2;
}
