using Cloudstate.Es.Proxy;
using Cloudstate.Es.Proxy.Configuration;

return await ProxyCommandLine.Create(ProxyHost.RunAsync).Parse(args).InvokeAsync();
