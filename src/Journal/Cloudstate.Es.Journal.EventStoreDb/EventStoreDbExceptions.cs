namespace Cloudstate.Es.Journal.EventStoreDb;

/// <summary>The node could not be reached, and nothing of the append was sent to it.</summary>
public sealed class EventStoreDbUnavailableException : Exception
{
    public EventStoreDbUnavailableException()
    {
    }

    public EventStoreDbUnavailableException(string message)
        : base(message)
    {
    }

    public EventStoreDbUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The node answered the append with an error other than a wrong expected version (access denied, stream deleted, too large): nothing was stored.</summary>
public sealed class EventStoreDbAppendRefusedException : Exception
{
    public EventStoreDbAppendRefusedException()
    {
    }

    public EventStoreDbAppendRefusedException(string message)
        : base(message)
    {
    }

    public EventStoreDbAppendRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
