using Pipelines.Torch.Scoring;

namespace Pipelines.AutoML.Metrics;

/// <summary>
/// The metrics an experiment can optimize, per task, with their direction, and their computation with ML.NET's own
/// evaluators on scored data.
/// </summary>
public static class MetricCatalog
{
    static readonly Dictionary<PredictionKind, (string Name, OptimizationDirection Direction)[]> Metrics = new()
    {
        [PredictionKind.BinaryClassification] = new[]
        {
            ("Accuracy", OptimizationDirection.Maximize), ("AreaUnderRocCurve", OptimizationDirection.Maximize),
            ("AreaUnderPrecisionRecallCurve", OptimizationDirection.Maximize), ("F1Score", OptimizationDirection.Maximize),
            ("LogLoss", OptimizationDirection.Minimize),
        },
        [PredictionKind.MulticlassClassification] = new[]
        {
            ("MicroAccuracy", OptimizationDirection.Maximize), ("MacroAccuracy", OptimizationDirection.Maximize),
            ("LogLoss", OptimizationDirection.Minimize),
        },
        [PredictionKind.Regression] = new[]
        {
            ("RSquared", OptimizationDirection.Maximize), ("RootMeanSquaredError", OptimizationDirection.Minimize),
            ("MeanAbsoluteError", OptimizationDirection.Minimize), ("MeanSquaredError", OptimizationDirection.Minimize),
        },
    };

    static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["accuracy"] = "Accuracy", ["auc"] = "AreaUnderRocCurve", ["auprc"] = "AreaUnderPrecisionRecallCurve",
        ["f1"] = "F1Score", ["logloss"] = "LogLoss", ["log-loss"] = "LogLoss", ["micro-accuracy"] = "MicroAccuracy",
        ["macro-accuracy"] = "MacroAccuracy", ["r2"] = "RSquared", ["rmse"] = "RootMeanSquaredError",
        ["mae"] = "MeanAbsoluteError", ["mse"] = "MeanSquaredError",
    };

    /// <summary>The default metric per task, as mlnet uses: accuracy, micro-accuracy, R^2.</summary>
    public static string DefaultMetric(PredictionKind task) => task switch
    {
        PredictionKind.BinaryClassification => "Accuracy",
        PredictionKind.MulticlassClassification => "MicroAccuracy",
        _ => "RSquared",
    };

    /// <summary>Whether <paramref name="metric"/> is a mean over rows (or follows from one), so that two models compare row by row.</summary>
    public static bool IsMeanOverRows(string metric) =>
        metric is "Accuracy" or "MicroAccuracy" or "RSquared" or "MeanSquaredError" or "RootMeanSquaredError" or "MeanAbsoluteError";

    public static IReadOnlyList<string> MetricsFor(PredictionKind task) => Metrics[task].Select(m => m.Name).ToList();

    /// <summary>The canonical name of <paramref name="metric"/> for <paramref name="task"/> (aliases such as "auc" or "rmse" accepted).</summary>
    public static string Resolve(PredictionKind task, string metric)
    {
        var name = Aliases.TryGetValue(metric, out var alias) ? alias : metric;
        // Multiclass users often say "accuracy": that is micro-accuracy, as in mlnet.
        if (task == PredictionKind.MulticlassClassification && name == "Accuracy") name = "MicroAccuracy";
        var match = Metrics[task].FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        if (match.Name == null)
            throw new ArgumentException($"Metric '{metric}' is not a {task} metric. Choose one of: {string.Join(", ", MetricsFor(task))}.");
        return match.Name;
    }

    public static OptimizationDirection DirectionOf(PredictionKind task, string metric)
    {
        var name = Resolve(task, metric);
        return Metrics[task].First(m => m.Name == name).Direction;
    }

    /// <summary>Evaluates <paramref name="scored"/> (the output of a model) with ML.NET's evaluator and returns the metric.</summary>
    public static double Evaluate(MLContext ml, PredictionKind task, string metric, IDataView scored, string labelColumn)
    {
        var name = Resolve(task, metric);
        switch (task)
        {
            case PredictionKind.BinaryClassification:
                // Uncalibrated trainers (FastForest) have no Probability column: no log-loss for them.
                bool calibrated = scored.Schema.GetColumnOrNull(ScoringColumns.Probability) != null;
                if (!calibrated && name == "LogLoss") throw new InvalidOperationException("LogLoss needs a Probability column; this model is not calibrated.");
                var b = calibrated ? ml.BinaryClassification.Evaluate(scored, labelColumn) : ml.BinaryClassification.EvaluateNonCalibrated(scored, labelColumn);
                return name switch
                {
                    "Accuracy" => b.Accuracy,
                    "AreaUnderRocCurve" => b.AreaUnderRocCurve,
                    "AreaUnderPrecisionRecallCurve" => b.AreaUnderPrecisionRecallCurve,
                    "F1Score" => b.F1Score,
                    _ => ((Microsoft.ML.Data.CalibratedBinaryClassificationMetrics)b).LogLoss,
                };
            case PredictionKind.MulticlassClassification:
                var m = ml.MulticlassClassification.Evaluate(scored, labelColumn);
                return name switch { "MicroAccuracy" => m.MicroAccuracy, "MacroAccuracy" => m.MacroAccuracy, _ => m.LogLoss };
            default:
                var r = ml.Regression.Evaluate(scored, labelColumn);
                return name switch
                {
                    "RSquared" => r.RSquared,
                    "RootMeanSquaredError" => r.RootMeanSquaredError,
                    "MeanAbsoluteError" => r.MeanAbsoluteError,
                    _ => r.MeanSquaredError,
                };
        }
    }

    /// <summary>Train metric minus validation metric for metrics where higher is better; validation minus train for losses.</summary>
    public static double Gap(OptimizationDirection direction, double train, double validation) =>
        direction == OptimizationDirection.Maximize ? train - validation : validation - train;
}
