using Microsoft.ML;
using Microsoft.ML.Data;

namespace Pipelines.AutoML.Tests;

/// <summary>The real datasets in datasets/, loaded with Features and Label columns.</summary>
public static class TestData
{
    public static string RepoRoot { get; } = Pipelines.Testing.RepositoryPaths.Root;

    public static string Path(string file) => System.IO.Path.Combine(RepoRoot, "datasets", file);


    public static IDataView BreastCancer(MLContext ml) => ml.Data.LoadFromTextFile(Path("breast-cancer.csv"), new[]
    {
        new TextLoader.Column("Features", DataKind.Single, 0, 29),
        new TextLoader.Column("Label", DataKind.Boolean, 30),
    }, separatorChar: ',', hasHeader: true);

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

    public static IDataView Concrete(MLContext ml) => ml.Data.LoadFromTextFile(Path("concrete.csv"), new[]
    {
        new TextLoader.Column("Features", DataKind.Single, 0, 7),
        new TextLoader.Column("Label", DataKind.Single, 8),
    }, separatorChar: ',', hasHeader: true);
}
