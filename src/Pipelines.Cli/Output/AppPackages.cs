using Pipelines.AutoML.Portfolio;

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

    /// <summary>What <paramref name="model"/> needs (and, with <paramref name="images"/>, reading images as training did).</summary>
    public static IReadOnlyList<AppPackage> For(WinningModel model, bool images)
    {
        var ids = new List<string> { "Microsoft.ML" };
        ids.AddRange(model.Trainers.SelectMany(t => TrainerPortfolio.All.FirstOrDefault(c => c.Name == t)?.ModelPackages ?? Array.Empty<string>()));
        if ((images || model.NeedsPipelinesTorch) && !ids.Contains(PipelinesTorch)) ids.Add(PipelinesTorch);
        var packages = ids.Distinct().Select(id => new AppPackage(id, VersionOf(id), Why(id, model))).ToList();
        if (model.HasTorchTrainer)
            packages.Add(new(PackageVersions.TorchBackendPackage, PackageVersions.TorchSharp,
                "LibTorch, as the run trained with; predicting does not load it, so an app that only predicts may drop it"));
        return packages;
    }

    /// <summary>Pipelines.Torch at this repository's version; ML.NET's packages at ML.NET's.</summary>
    static string VersionOf(string id) =>
        id == PipelinesTorch ? PackageVersions.PipelinesTorch
        : id.StartsWith("Microsoft.ML", StringComparison.Ordinal) ? PackageVersions.MicrosoftML
        : throw new InvalidOperationException($"No version is known for the package {id}: add it to Directory.Build.props and build/PackageVersions.targets.");

    static string Why(string id, WinningModel model) => id switch
    {
        "Microsoft.ML" => "ML.NET: loads model.zip and predicts",
        PipelinesTorch when model.HasTorchTrainer => "the Torch model's output columns (custom mappings); the network itself runs through ONNX Runtime",
        PipelinesTorch when model.IsEnsemble => "the ensemble's output columns (custom mappings); its weighted average runs through ONNX Runtime",
        PipelinesTorch => "its ImageFolder loader reads the images as training did",
        _ => "the trainer's scorer",
    };
}
