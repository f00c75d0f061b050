namespace Cloudstate.Es.Journal;

/// <summary>
/// The journal lost its store while an append was being committed and could not learn, within its bounded time,
/// whether the events were stored. Unlike every other exception from <see cref="IJournalWriter.AppendAsync"/>, which
/// means nothing of the append was stored, this one means they may or may not be: the caller's view of the stream can
/// no longer be trusted until it reads the stream again.
/// </summary>
public sealed class AppendOutcomeUnknownException : Exception
{
    public AppendOutcomeUnknownException()
        : base("The journal lost its store while committing; whether the events were stored is unknown.")
    {
    }

    public AppendOutcomeUnknownException(string message)
        : base(message)
    {
    }

    public AppendOutcomeUnknownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
