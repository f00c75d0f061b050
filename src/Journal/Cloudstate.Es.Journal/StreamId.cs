namespace Cloudstate.Es.Journal;

/// <summary>Identifies one entity instance's event stream: its persistence id and entity key.</summary>
public readonly record struct StreamId
{
    /// <summary>The separator Cloudstate put between persistence id and entity key.</summary>
    public const char Separator = '|';

    public StreamId(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
    }

    public string Value { get; }

    /// <summary>The stream of the entity instance <paramref name="entityKey"/> of the entity <paramref name="persistenceId"/>.</summary>
    public static StreamId For(string persistenceId, string entityKey) => new($"{persistenceId}{Separator}{entityKey}");

    public override string ToString() => Value;
}
