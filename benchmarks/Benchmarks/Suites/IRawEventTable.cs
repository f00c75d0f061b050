namespace Cloudstate.Es.Benchmarks.Suites;

/// <summary>
/// A plain table of events written straight through the database driver in its best batching: the ceiling the
/// journal's group commit is measured against. Each round writes one event to each of a fixed set of streams.
/// </summary>
internal interface IRawEventTable : IAsyncDisposable
{
    /// <summary>Writes event number <paramref name="round"/> of every stream in one transaction.</summary>
    Task InsertRoundAsync(long round, CancellationToken cancellationToken);
}
