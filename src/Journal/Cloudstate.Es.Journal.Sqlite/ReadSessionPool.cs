using System.Collections.Concurrent;

namespace Cloudstate.Es.Journal.Sqlite;

/// <summary>Idle read sessions kept for reuse, at most <c>capacity</c> of them; more are opened under load and closed after.</summary>
internal sealed class ReadSessionPool(string connectionString, int capacity) : IDisposable
{
    private readonly ConcurrentQueue<ReadSession> idle = new();
    private volatile bool disposed;

    public ReadSession Rent()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return idle.TryDequeue(out var session) ? session : new ReadSession(connectionString);
    }

    public void Return(ReadSession session)
    {
        if (disposed || idle.Count >= capacity)
        {
            session.Dispose();
            return;
        }

        idle.Enqueue(session);
        // Disposal may have drained the queue between the check and the enqueue.
        if (disposed)
            CloseIdle();
    }

    public void Dispose()
    {
        disposed = true;
        CloseIdle();
    }

    private void CloseIdle()
    {
        while (idle.TryDequeue(out var session))
            session.Dispose();
    }
}
