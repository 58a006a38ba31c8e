using Microsoft.ML;
using Microsoft.ML.Data;

namespace Pipelines.Torch.Tests;

/// <summary>Loads the real datasets in datasets/ as ML.NET data views with Features and Label columns.</summary>
public static class TestData
{
    public static string RepoRoot { get; } = Pipelines.Testing.RepositoryPaths.Root;

    public static string Path(string file) => Pipelines.Testing.RepositoryPaths.Dataset(file);


    public static IDataView BreastCancer(MLContext ml) => Pipelines.Testing.RealDatasets.BreastCancer(ml);

    /// <summary>Wine: 13 features, string class in "Class"; multiclass pipelines map it to a key "Label".</summary>
    public static IDataView Wine(MLContext ml) => ml.Data.LoadFromTextFile(Path("wine.csv"), new[]
    {
        new TextLoader.Column("Features", DataKind.Single, 0, 12),
        new TextLoader.Column("Class", DataKind.String, 13),
    }, separatorChar: ',', hasHeader: true);

    /// <summary>Digits: 64 pixel features, numeric digit in "Digit".</summary>
    public static IDataView Digits(MLContext ml) => ml.Data.LoadFromTextFile(Path("digits.csv"), new[]
    {
        new TextLoader.Column("Features", DataKind.Single, 0, 63),
        new TextLoader.Column("Digit", DataKind.Single, 64),
    }, separatorChar: ',', hasHeader: true);

    public static IDataView Concrete(MLContext ml) => Pipelines.Testing.RealDatasets.Concrete(ml);

    /// <summary>Iris: 4 features, string species.</summary>
    public static IDataView Iris(MLContext ml) => ml.Data.LoadFromTextFile(Path("iris.csv"), new[]
    {
        new TextLoader.Column("Features", DataKind.Single, 0, 3),
        new TextLoader.Column("Species", DataKind.String, 4),
    }, separatorChar: ',', hasHeader: true);
}
