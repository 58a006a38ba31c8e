using System.Collections.Concurrent;
using Pipelines.AutoML.Inference;

namespace Pipelines.AutoML.Tests.Inference;

/// <summary>The repository's datasets, and small files a test writes into its own temporary folder.</summary>
public sealed class DataFiles : IDisposable
{
    public static string RepoRoot { get; } = Pipelines.Testing.RepositoryPaths.Root;

    public static string Dataset(string file) => Path.Combine(RepoRoot, "datasets", file);

    static readonly ConcurrentDictionary<(string, string), Lazy<ColumnInferenceResult>> Inferred = new();

    /// <summary>Default inference on a dataset, done once per test run (results are immutable records).</summary>
    public static ColumnInferenceResult Infer(string file, string label) =>
        Inferred.GetOrAdd((file, label), key => new Lazy<ColumnInferenceResult>(() => ColumnInference.InferColumns(Dataset(key.Item1), key.Item2))).Value;

    readonly string _folder = Path.Combine(Path.GetTempPath(), "pipelines-inference-" + Guid.NewGuid().ToString("N"));

    public DataFiles() => Directory.CreateDirectory(_folder);

    /// <summary>Writes the lines (joined with \n) to a new file and returns its path.</summary>
    public string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    public string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

}
