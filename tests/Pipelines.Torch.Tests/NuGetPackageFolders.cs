using System.Text.Json;
using System.Xml.Linq;

namespace Pipelines.Torch.Tests;

/// <summary>Where restore put packages, and the versions this repository pins, for tests that look at package files.</summary>
public static class NuGetPackageFolders
{
    /// <summary>The test project's own restore output, which names the package folders it restored into.</summary>
    public static string TestProjectAssetsFile =>
        Path.Combine(TestData.RepoRoot, "tests", "Pipelines.Torch.Tests", "obj", "project.assets.json");

    /// <summary>
    /// The package folders of a restore: those listed in <paramref name="assetsFile"/> (the global packages folder
    /// first, then fallback folders), then NUGET_PACKAGES, then ~/.nuget/packages.
    /// </summary>
    public static IReadOnlyList<string> From(string? assetsFile)
    {
        var folders = new List<string>();
        if (assetsFile != null && File.Exists(assetsFile))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(assetsFile));
            if (json.RootElement.TryGetProperty("packageFolders", out var listed))
                folders.AddRange(listed.EnumerateObject().Select(p => p.Name));
        }
        var fromEnvironment = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrEmpty(fromEnvironment)) folders.Add(fromEnvironment);
        folders.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"));
        return folders.Select(f => Path.GetFullPath(f)).Distinct().ToList();
    }

    /// <summary>A file inside an extracted package (ids and versions are lower-cased on disk), or null.</summary>
    public static string? FindPackageFile(string id, string version, string relativePath, string? assetsFile = null)
    {
        foreach (var folder in From(assetsFile ?? TestProjectAssetsFile))
        {
            var candidate = Path.Combine(folder, id.ToLowerInvariant(), version.ToLowerInvariant(), relativePath);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The TorchSharp version the repository builds against (TorchSharpVersion in Directory.Build.props).</summary>
    public static string TorchSharpVersion { get; } =
        XDocument.Load(Path.Combine(TestData.RepoRoot, "Directory.Build.props"))
            .Descendants("TorchSharpVersion").Select(e => e.Value.Trim()).FirstOrDefault()
        ?? throw new InvalidOperationException("Directory.Build.props has no TorchSharpVersion.");

    /// <summary>
    /// TorchSharp's glue library as the package ships it, never patched: the build and the runtime fix only edit
    /// copies in output folders. Null when the package is not in any package folder.
    /// </summary>
    public static string? PristineTorchSharpGlue() =>
        FindPackageFile("TorchSharp", TorchSharpVersion, Path.Combine("runtimes", "linux-x64", "native", "libLibTorchSharp.so"));
}
