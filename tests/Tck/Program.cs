using Cloudstate.Es.Tck.Kit;

// The TCK's command line: `--user-function HOST:PORT [--proxy HOST:PORT] [--family model|proxy|all] [--timeout SECONDS]`
// runs the cases; `model-user-function [--port N]` serves the TCK model with our Sdk.
return await TckCommandLine.Create().Parse(args).InvokeAsync();
