using Cloudstate.Es.Tck.Model;

// The TCK's command line; see README.md in this folder. "model-user-function" serves the TCK model with our Sdk.
if (args is ["model-user-function", .. var rest])
{
    var port = rest is ["--port", var p] ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 8080;
    await using var userFunction = await TckModelUserFunction.StartAsync(port);
    Console.WriteLine($"TCK model user function (our Sdk) on {userFunction.Address}; Ctrl+C stops it.");
    var stop = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.TrySetResult();
    };
    await stop.Task;
    return 0;
}

Console.Error.WriteLine("usage: model-user-function [--port N]");
return 2;
