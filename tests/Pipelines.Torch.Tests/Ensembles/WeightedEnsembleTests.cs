using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.Testing;
using Pipelines.Torch.Data;
using Pipelines.Torch.Ensembles;

namespace Pipelines.Torch.Tests.Ensembles;

/// <summary>A weighted ensemble of fitted models is one ML.NET model: it averages its members, saves, loads and predicts.</summary>
public sealed class WeightedEnsembleTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pipelines-ensemble-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static IDataView Wine(MLContext ml)
    {
        var raw = ml.Data.LoadFromTextFile(RepositoryPaths.Dataset("wine.csv"), new[]
        {
            new TextLoader.Column("Features", DataKind.Single, 0, 12),
            new TextLoader.Column("Class", DataKind.String, 13),
        }, separatorChar: ',', hasHeader: true);
        return ml.Transforms.Conversion.MapValueToKey("Label", "Class").Fit(raw).Transform(raw);
    }

    public static TheoryData<PredictionKind> Tasks => new() { PredictionKind.BinaryClassification, PredictionKind.MulticlassClassification, PredictionKind.Regression };

    [Theory]
    [MemberData(nameof(Tasks))]
    public void TheEnsembleAveragesItsMembersAndSurvivesSaveAndLoad(PredictionKind task)
    {
        var ml = new MLContext(seed: 1);
        var (data, members) = Members(ml, task);
        var weights = new[] { 0.75, 0.25 };
        var ensemble = WeightedEnsemble.Build(members, weights, task, data);

        var column = WeightedEnsemble.MemberOutput(task);
        var expected = Rows(members[0].Transform(data), column).Zip(Rows(members[1].Transform(data), column),
            (a, b) => a.Zip(b, (x, y) => 0.75 * x + 0.25 * y).ToArray()).ToList();
        var actual = Rows(ensemble.Transform(data), column);
        for (int r = 0; r < expected.Count; r++)
            for (int j = 0; j < expected[r].Length; j++)
                Assert.True(Math.Abs(expected[r][j] - actual[r][j]) <= 1e-5 * (1 + Math.Abs(expected[r][j])), $"row {r}: {actual[r][j]}, expected {expected[r][j]}");

        var path = Path.Combine(_dir, "ensemble.zip");
        ml.Model.Save(ensemble, data.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        var again = Rows(loaded.Transform(data), column);
        for (int r = 0; r < expected.Count; r++) Assert.Equal(actual[r], again[r]);
        if (task == PredictionKind.MulticlassClassification)
            Assert.Equal(ensemble.Transform(data).GetColumn<uint>("PredictedLabel"), loaded.Transform(data).GetColumn<uint>("PredictedLabel"));
        if (task == PredictionKind.BinaryClassification)
            Assert.Equal(ensemble.Transform(data).GetColumn<bool>("PredictedLabel"), loaded.Transform(data).GetColumn<bool>("PredictedLabel"));
    }

    [Fact]
    public void ABinaryEnsemblePredictsThroughAPredictionEngine()
    {
        var ml = new MLContext(seed: 1);
        var (data, members) = Members(ml, PredictionKind.BinaryClassification);
        var ensemble = WeightedEnsemble.Build(members, new[] { 0.5, 0.5 }, PredictionKind.BinaryClassification, data);
        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(ensemble, data.Schema);
        var first = data.GetColumn<float[]>("Features").First();
        var prediction = engine.Predict(new Row { Features = first });
        Assert.InRange(prediction.Probability, 0f, 1f);
        Assert.Equal(prediction.Probability > 0.5f, prediction.PredictedLabel);
        Assert.Equal(Math.Log(prediction.Probability / (1 - prediction.Probability)), prediction.Score, 3);
    }

    static (IDataView Data, ITransformer[] Members) Members(MLContext ml, PredictionKind task)
    {
        var data = task switch
        {
            PredictionKind.BinaryClassification => RealDatasets.BreastCancer(ml),
            PredictionKind.MulticlassClassification => Wine(ml),
            _ => RealDatasets.Concrete(ml),
        };
        data = ml.Data.Cache(data);
        var normalize = ml.Transforms.NormalizeMinMax("Features");
        IEstimator<ITransformer>[] trainers = task switch
        {
            PredictionKind.BinaryClassification => new IEstimator<ITransformer>[]
            {
                normalize.Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 20)),
                ml.BinaryClassification.Trainers.LbfgsLogisticRegression(l2Regularization: 10),
            },
            PredictionKind.MulticlassClassification => new IEstimator<ITransformer>[]
            {
                normalize.Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 20)),
                ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(l2Regularization: 10),
            },
            _ => new IEstimator<ITransformer>[]
            {
                normalize.Append(ml.Regression.Trainers.Sdca(maximumNumberOfIterations: 20)),
                ml.Regression.Trainers.LbfgsPoissonRegression(),
            },
        };
        return (data, trainers.Select(t => t.Fit(data)).ToArray());
    }

    static List<float[]> Rows(IDataView scored, string column) =>
        scored.Schema[column].Type is VectorDataViewType
            ? scored.GetColumn<float[]>(column).ToList()
            : scored.GetColumn<float>(column).Select(v => new[] { v }).ToList();

    sealed class Row
    {
        [VectorType(30)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    sealed class Prediction
    {
        public bool PredictedLabel { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
    }
}
