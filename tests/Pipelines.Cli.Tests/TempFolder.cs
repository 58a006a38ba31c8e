namespace Pipelines.Cli.Tests;

/// <summary>A temporary folder for one test's output, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pipelines-cli-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="lines"/> (joined with \n) to a file in the folder and returns its path.</summary>
    public string Write(string name, IEnumerable<string> lines)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process the test killed may still hold a file for a moment; the OS cleans temp folders.
        }
    }
}
