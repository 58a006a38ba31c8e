using System.Reflection;

namespace Pipelines;

/// <summary>
/// The package versions this assembly was built with, from Directory.Build.props (written into the assembly by
/// build/PackageVersions.targets), so generated code and tests never repeat a version number.
/// </summary>
internal static class PackageVersions
{
    const string Prefix = "PackageVersion:";

    static readonly Dictionary<string, string> Versions = typeof(PackageVersions).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(a => a.Key.StartsWith(Prefix, StringComparison.Ordinal) && !string.IsNullOrEmpty(a.Value))
        .ToDictionary(a => a.Key[Prefix.Length..], a => a.Value!, StringComparer.OrdinalIgnoreCase);

    /// <summary>Microsoft.ML and every package released with it (FastTree, LightGbm, OnnxTransformer, ImageAnalytics).</summary>
    public static string MicrosoftML => Of("Microsoft.ML");

    public static string OnnxConverter => Of("Microsoft.ML.OnnxConverter");

    public static string OnnxRuntime => Of("Microsoft.ML.OnnxRuntime");

    public static string TorchSharp => Of("TorchSharp");

    /// <summary>This repository's packages (Pipelines.Torch and the others share one version).</summary>
    public static string PipelinesTorch => Of("Pipelines.Torch");

    /// <summary>The LibTorch backend package this build's apps reference (TorchSharp-cpu by default), at <see cref="TorchSharp"/>'s version.</summary>
    public static string TorchBackendPackage => typeof(PackageVersions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .SingleOrDefault(a => a.Key == "TorchBackendPackage")?.Value
        ?? throw new InvalidOperationException("No TorchBackendPackage was written into the assembly (build/PackageVersions.targets).");

    public static string Of(string package) => Versions.TryGetValue(package, out var version)
        ? version
        : throw new InvalidOperationException($"No version of {package} was written into {typeof(PackageVersions).Assembly.GetName().Name} (build/PackageVersions.targets).");
}
