using Microsoft.ML;
using Microsoft.ML.Data;

namespace Pipelines.AutoML.Tests;

/// <summary>The real datasets in datasets/, loaded with Features and Label columns.</summary>
public static class TestData
{
    public static string RepoRoot { get; } = Pipelines.Testing.RepositoryPaths.Root;

    public static string Path(string file) => Pipelines.Testing.RepositoryPaths.Dataset(file);


    public static IDataView BreastCancer(MLContext ml) => Pipelines.Testing.RealDatasets.BreastCancer(ml);

    /// <summary>Wine with the string class mapped to a key Label.</summary>
    public static IDataView Wine(MLContext ml)
    {
        var raw = ml.Data.LoadFromTextFile(Path("wine.csv"), new[]
        {
            new TextLoader.Column("Features", DataKind.Single, 0, 12),
            new TextLoader.Column("Class", DataKind.String, 13),
        }, separatorChar: ',', hasHeader: true);
        return ml.Transforms.Conversion.MapValueToKey("Label", "Class").Fit(raw).Transform(raw);
    }

    public static IDataView Concrete(MLContext ml) => Pipelines.Testing.RealDatasets.Concrete(ml);

    /// <summary>A small real data set of each task: breast-cancer (binary), wine (multiclass), concrete (regression).</summary>
    public static IDataView ForTask(MLContext ml, Pipelines.Torch.Data.PredictionKind task) => task switch
    {
        Pipelines.Torch.Data.PredictionKind.BinaryClassification => BreastCancer(ml),
        Pipelines.Torch.Data.PredictionKind.MulticlassClassification => Wine(ml),
        _ => Concrete(ml),
    };
}
