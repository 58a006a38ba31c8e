namespace Pipelines.Testing;

/// <summary>Where the repository and its datasets are, found from the test assembly's folder (linked into every test project).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>A file in datasets/.</summary>
    public static string Dataset(string file) => Path.Combine(Root, "datasets", file);

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Pipelines.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Pipelines.sln).");
    }
}
