using Cloudstate.Es.Benchmarks;

// Usage:
//   journal [--postgres CONNECTION-STRING] [--eventstoredb http://HOST:PORT] [--seconds 5] [--writers 64]
//     the journals' append ceilings: SQLite, PostgreSQL through plain Npgsql and through Marten, EventStoreDB when given;
//     ends with "RESULT journal.<backend>.<single|grouped|per_commit>=..." lines
//   bench [BenchmarkDotNet arguments, e.g. --filter '*JsonCodec*']
//     the BenchmarkDotNet suites (build in Release); PostgreSQL from CLOUDSTATE_BENCH_POSTGRES, else the local one
//   bench --quick [--filter ...]
//     every suite once, in process, 1 warmup and 3 short iterations: a smoke test, not a measurement
var verb = args.FirstOrDefault() ?? "journal";
string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;

switch (verb)
{
    case "journal":
        var results = await JournalCeiling.RunAsync(
            Arg("--postgres", BenchDatabase.Local),
            args.Contains("--eventstoredb") ? new Uri(Arg("--eventstoredb", "")) : null,
            TimeSpan.FromSeconds(double.Parse(Arg("--seconds", "5"), System.Globalization.CultureInfo.InvariantCulture)),
            int.Parse(Arg("--writers", "64"), System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine();
        foreach (var line in results)
            Console.WriteLine(line);
        return 0;
    case "bench":
        return await BenchCommand.RunAsync(args[1..]);
    default:
        Console.Error.WriteLine($"unknown verb '{verb}'; known: journal, bench");
        return 2;
}
