using System.CommandLine;
using System.Globalization;
using System.Net;
using Cloudstate.Es.Proxy.Cluster;
using Cloudstate.Es.Proxy.Storage;

namespace Cloudstate.Es.Proxy.Hosting;

/// <summary>The proxy's command line: every option, its environment fallback (Cloudstate's names) and its default.</summary>
internal static class ProxyCommandLine
{
    private static readonly Option<string> UserFunction = new("--user-function")
    {
        Description = "HOST:PORT of the user function (env USER_FUNCTION_HOST, USER_FUNCTION_PORT)",
        DefaultValueFactory = _ => $"{Env("USER_FUNCTION_HOST") ?? "127.0.0.1"}:{Env("USER_FUNCTION_PORT") ?? "8080"}",
    };

    private static readonly Option<int> Port = new("--port")
    {
        Description = "Port of the front end, gRPC and HTTP/JSON (env HTTP_PORT)",
        DefaultValueFactory = _ => int.TryParse(Env("HTTP_PORT"), out var port) ? port : 9000,
    };

    private static readonly Option<string> Host = new("--host")
    {
        Description = "Address the front end binds; 0.0.0.0 for all interfaces (env HTTP_HOST)",
        DefaultValueFactory = _ => Env("HTTP_HOST") ?? "127.0.0.1",
    };

    private static readonly Option<int> AdminPort = new("--admin-port")
    {
        Description = "Port of /metrics, /healthz and /ready, apart from the front end; 0 picks a free one (env ADMIN_PORT)",
        DefaultValueFactory = _ => int.TryParse(Env("ADMIN_PORT"), out var port) ? port : 9001,
    };

    private static readonly Option<bool> Metrics = new("--metrics")
    {
        Description = "Record metrics and serve them on /metrics (and over OTLP); false records none (env CLOUDSTATE_METRICS)",
        DefaultValueFactory = _ => !string.Equals(Env("CLOUDSTATE_METRICS"), "false", StringComparison.OrdinalIgnoreCase),
    };

    private static readonly Option<string> AdminHost = new("--admin-host")
    {
        Description = "Address the admin port binds; 0.0.0.0 for all interfaces (env ADMIN_HOST)",
        DefaultValueFactory = _ => Env("ADMIN_HOST") ?? "127.0.0.1",
    };

    private static readonly Option<string> LogFormatOption = new("--log-format")
    {
        HelpName = "text|json",
        Description = "Logs as lines of text, or as one JSON object per line with trace and span ids (env LOG_FORMAT)",
        DefaultValueFactory = _ => Env("LOG_FORMAT") ?? "text",
    };

    private static readonly Option<string> Data = new("--data")
    {
        Description = "Directory of the embedded journal and snapshots (env CLOUDSTATE_DATA)",
        DefaultValueFactory = _ => Env("CLOUDSTATE_DATA") ?? "data",
    };

    private static readonly Option<double> Passivation = new("--passivation-timeout")
    {
        Description = "Seconds an idle entity instance stays active unless its entity sets a timeout",
        DefaultValueFactory = _ => 30,
    };

    private static readonly Option<int> MaxMessage = new("--max-message-size")
    {
        Description = "Largest request in bytes; larger ones get RESOURCE_EXHAUSTED",
        DefaultValueFactory = _ => 12 * 1024 * 1024,
    };

    private static readonly Option<int> MaxActive = new("--max-active-entities")
    {
        Description = "Most entity instances active on this node; past it the least recently used idle ones passivate",
        DefaultValueFactory = _ => 10_000,
    };

    private static readonly Option<int> MaxQueued = new("--max-queued-commands")
    {
        Description = "Most commands waiting for one entity instance; more get RESOURCE_EXHAUSTED",
        DefaultValueFactory = _ => 64,
    };

    private static readonly Option<int> MaxKeyLength = new("--max-key-length")
    {
        Description = "Longest entity key in UTF-8 bytes; longer ones get INVALID_ARGUMENT",
        DefaultValueFactory = _ => 1024,
    };

    private static readonly Option<double> CommandTimeout = new("--command-timeout")
    {
        Description = "Seconds a command may take before the client gets DEADLINE_EXCEEDED",
        DefaultValueFactory = _ => 60,
    };

    private static readonly Option<int> SnapshotEvery = new("--snapshot-every")
    {
        Description = "Keep an offered snapshot only after this many events since the last kept one (0 every offered, -1 never)",
        DefaultValueFactory = _ => 0,
    };

    private static readonly Option<double> HeaderTimeout = new("--header-timeout")
    {
        Description = "Seconds a new connection has to send the HTTP/2 preface, or an HTTP/1.1 request its headers, before it is closed",
        DefaultValueFactory = _ => 5,
    };

    private static readonly Option<double> IdleTimeout = new("--idle-timeout")
    {
        Description = "Seconds a client connection with no request in flight stays open",
        DefaultValueFactory = _ => 130,
    };

    private static readonly Option<int> MaxHeadersSize = new("--max-headers-size")
    {
        Description = "Largest total size in bytes of a request's headers; larger ones get HTTP 431 or a failed gRPC call",
        DefaultValueFactory = _ => 60 * 1024,
    };

    private static readonly Option<int> MaxHeaderCount = new("--max-header-count")
    {
        Description = "Most headers in one request; more get HTTP 431 or a failed gRPC call",
        DefaultValueFactory = _ => 100,
    };

    private static readonly Option<string> ClusterMode = new("--cluster")
    {
        HelpName = "none|store|seed",
        Description = "How proxy nodes find each other: none (a cluster of one), store (the members kept in the shared store: a table in PostgreSQL, a stream in EventStoreDB) or seed (--seed, --seed-dns) (env CLOUDSTATE_CLUSTER)",
        DefaultValueFactory = _ => Env("CLOUDSTATE_CLUSTER") ?? "none",
    };

    private static readonly Option<string[]> Seed = new("--seed")
    {
        HelpName = "HOST:PORT",
        Description = "A seed node's cluster address, repeatable (env CLOUDSTATE_SEEDS, comma-separated); a node given seeds joins one of them or refuses to start",
        DefaultValueFactory = _ => Split(Env("CLOUDSTATE_SEEDS")),
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string[]> SeedDns = new("--seed-dns")
    {
        HelpName = "NAME:PORT",
        Description = "A DNS name whose every address is a seed node, as a headless service gives, repeatable (env CLOUDSTATE_SEED_DNS)",
        DefaultValueFactory = _ => Split(Env("CLOUDSTATE_SEED_DNS")),
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string> ClusterHost = new("--cluster-host")
    {
        Description = "Address the cluster port binds; 0.0.0.0 for all interfaces, with --advertised-host (env CLUSTER_HOST)",
        DefaultValueFactory = _ => Env("CLUSTER_HOST") ?? "127.0.0.1",
    };

    private static readonly Option<int> ClusterPort = new("--cluster-port")
    {
        Description = "Port for messages between proxy nodes; 0 picks a free one (give seed nodes a fixed port) (env CLUSTER_PORT)",
        DefaultValueFactory = _ => int.TryParse(Env("CLUSTER_PORT"), out var port) ? port : 0,
    };

    private static readonly Option<string?> AdvertisedHost = new("--advertised-host")
    {
        Description = "The host other nodes reach this one at; default --cluster-host (env ADVERTISED_HOST, e.g. the pod's IP)",
        DefaultValueFactory = _ => Env("ADVERTISED_HOST"),
    };

    private static readonly Option<double> MemberTimeout = new("--member-timeout")
    {
        Description = "Seconds without a heartbeat after which a node is removed and its entities start on the others",
        DefaultValueFactory = _ => 5,
    };

    private static readonly Option<double> JoinTimeout = new("--join-timeout")
    {
        Description = "Seconds a cluster node tries to reach its seeds and its store before it refuses to start",
        DefaultValueFactory = _ => 30,
    };

    // No default value factory: the fallback is read from the environment the command was created with.
    private static readonly Option<string> Store = new("--store")
    {
        HelpName = "FILE",
        Description = "StatefulStore file (YAML/JSON) choosing the journal: postgres, sqlite or inMemory (env CLOUDSTATE_STORE); default: the embedded SQLite in --data",
    };

    /// <summary>The root command; <paramref name="environment"/> (default: the process's) gives CLOUDSTATE_STORE and the
    /// store's credential variables.</summary>
    public static RootCommand Create(Func<ProxyOptions, CancellationToken, Task<int>> run, Func<string, string?>? environment = null)
    {
        environment ??= Env;
        var root = new RootCommand("Cloudstate.Es proxy: serves a Cloudstate user function's event-sourced entities over gRPC and HTTP/JSON, with the journal, snapshots and actors it needs.")
        {
            UserFunction, Host, Port, AdminHost, AdminPort, Metrics, LogFormatOption, Data, Store, Passivation, MaxMessage, MaxKeyLength, MaxActive, MaxQueued, CommandTimeout, SnapshotEvery,
            HeaderTimeout, IdleTimeout, MaxHeadersSize, MaxHeaderCount,
            ClusterMode, Seed, SeedDns, ClusterHost, ClusterPort, AdvertisedHost, MemberTimeout, JoinTimeout,
        };
        root.SetAction(async (result, cancellationToken) =>
        {
            ProxyOptions options;
            try
            {
                var problems = new List<string>();
                options = Read(result, environment, problems);
                problems.AddRange(options.Problems());
                if (problems.Count > 0)
                    throw new ArgumentException(string.Join(Environment.NewLine, problems));
            }
            catch (ArgumentException e)
            {
                foreach (var line in e.Message.Split(Environment.NewLine))
                    await result.InvocationConfiguration.Error.WriteLineAsync($"cloudstate-es proxy: {line}");
                return 2;
            }

            return await run(options, cancellationToken);
        });
        return root;
    }

    private static ProxyOptions Read(ParseResult result, Func<string, string?> environment, List<string> problems)
    {
        var userFunction = result.GetValue(UserFunction)!;
        var colon = userFunction.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(userFunction.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var userFunctionPort))
        {
            throw new ArgumentException($"--user-function: '{userFunction}' is not HOST:PORT.");
        }

        var options = new ProxyOptions
        {
            UserFunction = new UserFunctionOptions { Host = userFunction[..colon], Port = userFunctionPort },
            Frontend = new FrontendOptions
            {
                Host = result.GetValue(Host)!,
                Port = result.GetValue(Port),
                MaxMessageSize = result.GetValue(MaxMessage),
                MaxEntityKeyLength = result.GetValue(MaxKeyLength),
                Connections = new ConnectionOptions
                {
                    HeaderTimeout = TimeSpan.FromSeconds(result.GetValue(HeaderTimeout)),
                    IdleTimeout = TimeSpan.FromSeconds(result.GetValue(IdleTimeout)),
                    MaxHeadersSize = result.GetValue(MaxHeadersSize),
                    MaxHeaderCount = result.GetValue(MaxHeaderCount),
                },
            },
            Admin = new AdminOptions { Host = result.GetValue(AdminHost)!, Port = result.GetValue(AdminPort), Metrics = result.GetValue(Metrics) },
            Entities = new EntityOptions
            {
                CommandTimeout = TimeSpan.FromSeconds(result.GetValue(CommandTimeout)),
                PassivationTimeout = TimeSpan.FromSeconds(result.GetValue(Passivation)),
                MaxActiveEntities = result.GetValue(MaxActive),
                MaxQueuedCommands = result.GetValue(MaxQueued),
                SnapshotEvery = result.GetValue(SnapshotEvery),
            },
            Store = new StoreOptions { DataDirectory = result.GetValue(Data)! },
            Cluster = ReadCluster(result, problems),
            LogFormat = ReadLogFormat(result.GetValue(LogFormatOption)!, problems),
        };
        if ((result.GetValue(Store) ?? Blank(environment("CLOUDSTATE_STORE"))) is { } storeFile)
        {
            options.Store.Settings = StatefulStoreFile.Load(storeFile, name => Blank(environment(name)));
        }

        return options;
    }

    private static LogFormat ReadLogFormat(string text, List<string> problems)
    {
        if (Enum.TryParse<LogFormat>(text, ignoreCase: true, out var format) && Enum.IsDefined(format) && !char.IsDigit(text[0]))
            return format;
        problems.Add($"--log-format: '{text}' is not text or json.");
        return LogFormat.Text;
    }

    private static ClusterOptions ReadCluster(ParseResult result, List<string> problems)
    {
        var mode = result.GetValue(ClusterMode)!;
        if (!Enum.TryParse<ClusterMembership>(mode, ignoreCase: true, out var membership) || !Enum.IsDefined(membership) || char.IsDigit(mode[0]))
            problems.Add($"--cluster: '{mode}' is not none, store or seed.");

        List<DnsEndPoint> EndPoints(Option<string[]> option, string shape)
        {
            var endPoints = new List<DnsEndPoint>();
            foreach (var text in result.GetValue(option) ?? [])
            {
                if (ClusterOptions.ParseEndPoint(text) is { } endPoint)
                    endPoints.Add(endPoint);
                else
                    problems.Add($"{option.Name}: '{text}' is not {shape}.");
            }

            return endPoints;
        }

        return new ClusterOptions
        {
            Membership = membership,
            Seeds = EndPoints(Seed, "HOST:PORT"),
            SeedNames = EndPoints(SeedDns, "NAME:PORT"),
            Host = result.GetValue(ClusterHost)!,
            Port = result.GetValue(ClusterPort),
            AdvertisedHost = result.GetValue(AdvertisedHost),
            MemberTimeout = TimeSpan.FromSeconds(result.GetValue(MemberTimeout)),
            JoinTimeout = TimeSpan.FromSeconds(result.GetValue(JoinTimeout)),
        };
    }

    private static string[] Split(string? list) => list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static string? Env(string name) => Blank(Environment.GetEnvironmentVariable(name));

    private static string? Blank(string? value) => value is { Length: > 0 } ? value : null;
}
