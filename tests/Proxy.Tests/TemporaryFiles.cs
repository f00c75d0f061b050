namespace Cloudstate.Es.Proxy.Tests;

/// <summary>Files written under the system's temporary directory for one test, deleted when it ends.</summary>
internal sealed class TemporaryFiles : IDisposable
{
    private readonly List<string> paths = [];

    /// <summary>Writes <paramref name="text"/> to a new file with the given extension and returns its path.</summary>
    public string Write(string text, string extension = ".yaml")
    {
        var path = Path.Combine(Path.GetTempPath(), $"cloudstate-es-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, text);
        paths.Add(path);
        return path;
    }

    public void Dispose()
    {
        foreach (var path in paths)
        {
            File.Delete(path);
        }
    }
}
