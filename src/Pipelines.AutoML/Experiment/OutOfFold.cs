using Pipelines.Torch.Ensembles;
using Pipelines.Torch.Scoring;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// Predictions of several trials on the same rows, each row scored by models that did not train on it: the second
/// look's (<see cref="DefaultGuard"/>), each candidate configuration cross-validated over all rows in
/// <see cref="Folds"/> folds, or the validation rows' (<see cref="FinalEnsemble"/>), cut in two halves for the
/// ensemble's weights. Per trial and row: its score, higher is better (right 1 or wrong 0, or the negated squared or
/// absolute error), and its output as an ensemble member reads it (a binary probability, the class probabilities, a
/// regression score).
/// </summary>
internal sealed class OutOfFold(PredictionKind task, string metric, float[] labels, int[] foldOf, int folds)
{
    public PredictionKind Task => task;
    /// <summary>k for a k-fold cross-validation over all rows; 0 for the validation rows, whose two halves <see cref="FoldOf"/> tells.</summary>
    public int Folds => folds;
    /// <summary>Per row: 0 or 1 for binary, the class index for multiclass, the value for regression.</summary>
    public float[] Labels => labels;
    /// <summary>Per row: the fold it was predicted in.</summary>
    public int[] FoldOf => foldOf;
    public Dictionary<int, double[]> Scores { get; } = new();
    public Dictionary<int, float[][]> Outputs { get; } = new();

    /// <summary>The score of one row from a member output (or an average of them), as the ensemble model predicts it.</summary>
    public double Score(IReadOnlyList<double> output, float label) => task switch
    {
        PredictionKind.BinaryClassification => (output[0] > 0.5) == (label > 0.5f) ? 1 : 0,
        PredictionKind.MulticlassClassification => ArgMax(output) == (int)label ? 1 : 0,
        _ => RegressionScore(output[0], label, metric),
    };

    /// <summary>A regression row's score: its negated absolute error under MAE, else its negated squared error.</summary>
    static double RegressionScore(double prediction, double label, string metric) =>
        metric == "MeanAbsoluteError" ? -Math.Abs(prediction - label) : -Math.Pow(prediction - label, 2);

    /// <summary>Per-row <paramref name="scores"/> as the experiment's metric (accuracy, R^2, MSE, RMSE or MAE) over these rows.</summary>
    public double AsMetric(IReadOnlyCollection<double> scores)
    {
        double mean = scores.Average();
        return metric switch
        {
            "RSquared" => 1 + mean / Variance(labels),
            "RootMeanSquaredError" => Math.Sqrt(-mean),
            "MeanSquaredError" or "MeanAbsoluteError" => -mean,
            _ => mean,
        };
    }

    static double Variance(float[] values)
    {
        double mean = values.Average(v => (double)v);
        return values.Average(v => (v - mean) * (v - mean));
    }

    static int ArgMax(IReadOnlyList<double> values)
    {
        int best = 0;
        for (int j = 1; j < values.Count; j++) if (values[j] > values[best]) best = j;
        return best;
    }

    /// <summary>
    /// A model's predictions on <paramref name="rows"/>: each row's score as its own PredictedLabel or Score gives it,
    /// and its member outputs (null when it cannot join an ensemble).
    /// </summary>
    public static (double[] Scores, float[][]? Outputs) Predict(ITransformer model, IDataView rows, ExperimentData data)
    {
        var scored = TrialRunner.Score(model, rows);
        double[] scores = data.Task switch
        {
            PredictionKind.BinaryClassification => scored.GetColumn<bool>(ScoringColumns.PredictedLabel).Zip(scored.GetColumn<bool>(data.LabelColumnName), (p, l) => p == l ? 1.0 : 0).ToArray(),
            PredictionKind.MulticlassClassification => scored.GetColumn<uint>(ScoringColumns.PredictedLabel).Zip(scored.GetColumn<uint>(data.LabelColumnName), (p, l) => p == l ? 1.0 : 0).ToArray(),
            _ => scored.GetColumn<float>(ScoringColumns.Score).Zip(scored.GetColumn<float>(data.LabelColumnName), (p, l) => RegressionScore(p, l, data.Metric)).ToArray(),
        };
        return (scores, WeightedEnsemble.CanJoin(model, rows, data.Task) ? MemberOutputs(scored, data.Task) : null);
    }

    /// <summary>Each row's member output: a binary model's probability, a multiclass model's class scores, a regression score.</summary>
    static float[][] MemberOutputs(IDataView scored, PredictionKind task)
    {
        var column = WeightedEnsemble.MemberOutput(task);
        return task == PredictionKind.MulticlassClassification
            ? scored.GetColumn<float[]>(column).ToArray()
            : scored.GetColumn<float>(column).Select(v => new[] { v }).ToArray();
    }

    /// <summary>Each row's label as <see cref="EnsembleSelection"/> reads it: 0 or 1, the class index, or the value.</summary>
    public static float[] LabelsOf(IDataView rows, ExperimentData data)
    {
        var label = data.LabelColumnName;
        return data.Task switch
        {
            PredictionKind.BinaryClassification => rows.GetColumn<bool>(label).Select(b => b ? 1f : 0f).ToArray(),
            PredictionKind.MulticlassClassification => rows.GetColumn<uint>(label).Select(k => (float)(k - 1)).ToArray(),
            _ => rows.GetColumn<float>(label).ToArray(),
        };
    }
}
