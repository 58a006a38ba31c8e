using Pipelines.Cli.Runs;

namespace Pipelines.Cli.Output;

/// <summary>A NuGet package an app needs to load a run's model, at the version the run used, and why.</summary>
internal sealed record AppPackage(string Id, string Version, string Why);

/// <summary>
/// The packages an app that loads a run's model references, at the versions this build of the tool used (from
/// Directory.Build.props, through <see cref="PackageVersions"/>): Program.cs lists them, the console project references them.
/// </summary>
internal static class AppPackages
{
    /// <summary>What a model of <paramref name="trainer"/> needs (and, with <paramref name="images"/>, reading images).</summary>
    public static IReadOnlyList<AppPackage> For(string trainer, bool images)
    {
        var ml = PackageVersions.MicrosoftML;
        var packages = new List<AppPackage> { new("Microsoft.ML", ml, "ML.NET: loads model.zip and predicts") };
        if (trainer is "fasttree" or "fastforest") packages.Add(new("Microsoft.ML.FastTree", ml, "the tree ensemble's scorer"));
        if (trainer == "lightgbm") packages.Add(new("Microsoft.ML.LightGbm", ml, "the LightGBM scorer"));
        if (TrainerChoice.IsTorch(trainer))
        {
            packages.Add(new("Pipelines.Torch", PackageVersions.PipelinesTorch,
                "the Torch model's output columns (custom mappings); the network itself runs through ONNX Runtime"));
            packages.Add(new(PackageVersions.TorchBackendPackage, PackageVersions.TorchSharp,
                "LibTorch, as the run trained with; predicting does not load it, so an app that only predicts may drop it"));
        }
        else if (images)
            packages.Add(new("Pipelines.Torch", PackageVersions.PipelinesTorch, "its ImageFolder loader reads the images as training did"));
        return packages;
    }
}
