using Cloudstate.Es.Benchmarks.AkkaPeer;

// The Akka.NET persistence peer of the benchmarks (issue 7): the counter entity on Akka.Persistence.Sql, measured
// the way benchmarks/Load measures our proxy. See PeerOptions.Usage for the command line.
if (args.Length == 0 || args[0] != "akka")
{
    Console.Error.WriteLine(PeerOptions.Usage);
    return 2;
}

PeerOptions options;
try
{
    options = PeerOptions.Parse(args[1..]);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(PeerOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var figures = await new PeerRun(options).RunAsync(cancel.Token);
Console.WriteLine();
foreach (var line in figures.ResultLines())
    Console.WriteLine(line);
return 0;
