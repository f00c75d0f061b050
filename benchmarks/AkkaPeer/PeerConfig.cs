using Akka.Configuration;

namespace Cloudstate.Es.Benchmarks.AkkaPeer;

/// <summary>The HOCON of the peer's actor systems: Akka.Persistence.Sql as journal and snapshot store over one <see cref="JournalStore"/>.</summary>
public static class PeerConfig
{
    /// <summary>Builds the configuration; everything not named here keeps the plugin's defaults.</summary>
    public static Config Create(JournalStore store, PeerOptions options)
    {
        var serializer = TypeName(typeof(IncrementedSerializer));
        var @event = TypeName(typeof(Incremented));
        var schema = store.Schema is null ? "" : $"default.schema-name = {Quote(store.Schema)}";
        var batchSize = options.BatchSize is { } size ? $"batch-size = {size}" : "";
        var hocon = $$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = WARNING
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              actor {
                serializers.counter-events = {{Quote(serializer)}}
                serialization-bindings {
                  {{Quote(@event)}} = counter-events
                }
              }
              persistence {
                journal {
                  plugin = "akka.persistence.journal.sql"
                  sql {
                    class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                    connection-string = {{Quote(store.ConnectionString)}}
                    provider-name = {{Quote(store.ProviderName)}}
                    parallelism = {{options.Parallelism ?? store.DefaultParallelism}}
                    {{batchSize}}
                    {{schema}}
                  }
                }
                snapshot-store {
                  plugin = "akka.persistence.snapshot-store.sql"
                  sql {
                    class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                    connection-string = {{Quote(store.ConnectionString)}}
                    provider-name = {{Quote(store.ProviderName)}}
                    {{schema}}
                  }
                }
              }
            }
            """;
        return ConfigurationFactory.ParseString(hocon);
    }

    private static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    private static string Quote(string text) => $"\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
