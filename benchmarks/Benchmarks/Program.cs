using Cloudstate.Es.Benchmarks;

// Usage:
//   journal [--postgres CONNECTION-STRING] [--seconds 5] [--writers 64]
//     the journals' append ceilings: SQLite, PostgreSQL through plain Npgsql and through Marten
var verb = args.FirstOrDefault() ?? "journal";
string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;

switch (verb)
{
    case "journal":
        await JournalCeiling.RunAsync(
            Arg("--postgres", "Host=127.0.0.1;Port=5432;Username=cloudstate;Password=cloudstate;Database=cloudstate"),
            TimeSpan.FromSeconds(double.Parse(Arg("--seconds", "5"), System.Globalization.CultureInfo.InvariantCulture)),
            int.Parse(Arg("--writers", "64"), System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    default:
        Console.Error.WriteLine($"unknown verb '{verb}'; known: journal");
        return 2;
}
