using Pipelines.AutoML.Portfolio;
using Pipelines.Cli.Runs;

namespace Pipelines.Cli.Output;

/// <summary>A NuGet package an app needs to load a run's model, at the version the run used, and why.</summary>
internal sealed record AppPackage(string Id, string Version, string Why);

/// <summary>
/// The packages an app that loads a run's model references: Microsoft.ML and what the winning trainer's candidate
/// names (<see cref="TrainerCandidate.ModelPackages"/>), at the versions this build of the tool used (from
/// Directory.Build.props, through <see cref="PackageVersions"/>). Program.cs lists them, the console project references them.
/// </summary>
internal static class AppPackages
{
    const string PipelinesTorch = "Pipelines.Torch";

    /// <summary>What a model of <paramref name="trainer"/> needs (and, with <paramref name="images"/>, reading images as training did).</summary>
    public static IReadOnlyList<AppPackage> For(string trainer, bool images)
    {
        bool torch = TrainerChoice.IsTorch(trainer);
        var ids = new List<string> { "Microsoft.ML" };
        ids.AddRange(TrainerPortfolio.All.FirstOrDefault(c => c.Name == trainer)?.ModelPackages ?? Array.Empty<string>());
        if (images && !ids.Contains(PipelinesTorch)) ids.Add(PipelinesTorch);
        var packages = ids.Select(id => new AppPackage(id, VersionOf(id), Why(id, torch))).ToList();
        if (torch)
            packages.Add(new(PackageVersions.TorchBackendPackage, PackageVersions.TorchSharp,
                "LibTorch, as the run trained with; predicting does not load it, so an app that only predicts may drop it"));
        return packages;
    }

    /// <summary>Pipelines.Torch at this repository's version; ML.NET's packages at ML.NET's.</summary>
    static string VersionOf(string id) =>
        id == PipelinesTorch ? PackageVersions.PipelinesTorch
        : id.StartsWith("Microsoft.ML", StringComparison.Ordinal) ? PackageVersions.MicrosoftML
        : throw new InvalidOperationException($"No version is known for the package {id}: add it to Directory.Build.props and build/PackageVersions.targets.");

    static string Why(string id, bool torch) => id switch
    {
        "Microsoft.ML" => "ML.NET: loads model.zip and predicts",
        PipelinesTorch when torch => "the Torch model's output columns (custom mappings); the network itself runs through ONNX Runtime",
        PipelinesTorch => "its ImageFolder loader reads the images as training did",
        _ => "the trainer's scorer",
    };
}
