using Microsoft.ML;
using Microsoft.ML.Data;

namespace Pipelines.Testing;

/// <summary>Real datasets from datasets/ loaded as every test project needs them: Features and Label columns.</summary>
internal static class RealDatasets
{
    /// <summary>Breast cancer: 30 features, Boolean label (true = malignant).</summary>
    public static IDataView BreastCancer(MLContext ml) => ml.Data.LoadFromTextFile(RepositoryPaths.Dataset("breast-cancer.csv"), new[]
    {
        new TextLoader.Column("Features", DataKind.Single, 0, 29),
        new TextLoader.Column("Label", DataKind.Boolean, 30),
    }, separatorChar: ',', hasHeader: true);

    /// <summary>Concrete: 8 features, Single label (compressive strength).</summary>
    public static IDataView Concrete(MLContext ml) => ml.Data.LoadFromTextFile(RepositoryPaths.Dataset("concrete.csv"), new[]
    {
        new TextLoader.Column("Features", DataKind.Single, 0, 7),
        new TextLoader.Column("Label", DataKind.Single, 8),
    }, separatorChar: ',', hasHeader: true);
}
