using Cloudstate.Es.Protocol;
using Cloudstate.Es.Protocol.EventSourced;
using Cloudstate.Es.Sdk.EventSourced;
using Cloudstate.Es.Sdk.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Cloudstate.Es.Sdk.Wire;

/// <summary>Serves one <c>handle</c> stream per entity instance: init, replayed events, then commands one at a time.</summary>
internal sealed partial class EventSourcedService(EntityCatalog catalog, ILogger<EventSourcedService> logger) : Protocol.EventSourced.EventSourced.EventSourcedBase
{
    public override async Task handle(IAsyncStreamReader<EventSourcedStreamIn> requestStream, IServerStreamWriter<EventSourcedStreamOut> responseStream, ServerCallContext context)
    {
        IEntityInstance? instance = null;
        var entityId = "";
        var lastCommandId = 0L;
        try
        {
            while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                var message = requestStream.Current;
                switch (message.MessageCase)
                {
                    case EventSourcedStreamIn.MessageOneofCase.Init when instance is null:
                        entityId = message.Init.EntityId;
                        instance = Start(message.Init);
                        break;
                    case EventSourcedStreamIn.MessageOneofCase.Event when instance is not null:
                        instance.Replay(message.Event);
                        break;
                    case EventSourcedStreamIn.MessageOneofCase.Command when instance is not null:
                        lastCommandId = message.Command.Id;
                        var reply = await instance.HandleAsync(message.Command).ConfigureAwait(false);
                        if (reply.ClientAction.Failure is { } failure)
                        {
                            LogCommandFailed(logger, message.Command.Name, entityId, failure.Description);
                        }

                        await responseStream.WriteAsync(new EventSourcedStreamOut { Reply = reply }).ConfigureAwait(false);
                        break;
                    default:
                        throw new EntityStreamException(instance is null
                            ? $"The stream must start with init, not {message.MessageCase}."
                            : $"Unexpected {message.MessageCase} on the stream of {entityId}.");
                }
            }
        }
        catch (EntityStreamException e)
        {
            LogStreamFailed(logger, entityId, e.Message, e.InnerException);
            var failure = new Failure { CommandId = lastCommandId, Description = e.Message };
            await responseStream.WriteAsync(new EventSourcedStreamOut { Failure = failure }).ConfigureAwait(false);
        }
    }

    private IEntityInstance Start(EventSourcedInit init)
    {
        if (!catalog.Entities.TryGetValue(init.ServiceName, out var model))
        {
            throw new EntityStreamException($"This user function serves no entity service named '{init.ServiceName}'.");
        }

        return model.Start(init.EntityId, init.Snapshot);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Command {Command} on {EntityId} failed: {Description}")]
    private static partial void LogCommandFailed(ILogger logger, string command, string entityId, string description);

    [LoggerMessage(Level = LogLevel.Error, Message = "Entity {EntityId} failed and its stream ends: {Reason}")]
    private static partial void LogStreamFailed(ILogger logger, string entityId, string reason, Exception? exception);
}
