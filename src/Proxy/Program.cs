using Cloudstate.Es.Proxy;
using Cloudstate.Es.Proxy.Hosting;

return await ProxyCommandLine.Create(ProxyHost.RunAsync).Parse(args).InvokeAsync();
