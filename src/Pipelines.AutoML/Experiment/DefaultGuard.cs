using Pipelines.Torch.Scoring;

namespace Pipelines.AutoML.Experiment;

/// <summary>What <see cref="DefaultGuard"/> decided when it put a trainer's defaults before the best trial.</summary>
/// <param name="Default">The trial of the best default configuration, which becomes the result.</param>
/// <param name="Passed">The best trial of the search, which did not lead it by enough.</param>
/// <param name="Lead">How far the best trial led on the validation rows, per row (accuracy, or squared or absolute error).</param>
/// <param name="StandardError">The standard error of that lead, from the per-row differences of the two models.</param>
public sealed record DefaultChoice(TrialRecord Default, TrialRecord Passed, double Lead, double StandardError);

/// <summary>
/// The one-standard-error rule (Breiman et al., CART, 1984) against the winner's curse. The best of many trials scores
/// higher on the validation rows than it will on new rows, while a trainer's defaults (its first trial) are what a
/// user would fit without any search. So the best trial is the result only when it beats the best default by more
/// than one standard error of their paired per-row difference on the validation rows; otherwise that default is.
/// Only for metrics that are a mean over rows (accuracy, micro-accuracy, R^2, MSE, RMSE, MAE), on one validation set.
/// </summary>
internal sealed class DefaultGuard(StudySession session, TellStep tell, IReadOnlyDictionary<string, Parameter> defaults)
{
    public DefaultChoice? Check(TrialRecord best, IReadOnlyList<TrialRecord> trials)
    {
        var data = session.Data;
        if (data.Folds.Count != 1 || !PerRow(data.Metric)) return null;
        var fallback = TrialRanking.Completed(trials, session.Direction).FirstOrDefault(IsDefault);
        if (fallback == null || fallback.Id == best.Id || !tell.TryGetModel(best.Id, out var b) || !tell.TryGetModel(fallback.Id, out var d)) return null;

        var validation = data.Folds[0].Validation;
        var (bestScores, defaultScores) = (Scores(b.Model, validation), Scores(d.Model, validation));
        int n = bestScores.Length;
        if (n < 2) return null;
        var differences = bestScores.Zip(defaultScores, (x, y) => x - y).ToArray();
        double lead = differences.Average();
        double variance = differences.Sum(v => (v - lead) * (v - lead)) / (n - 1);
        double standardError = Math.Sqrt(variance / n);
        return lead > standardError ? null : new DefaultChoice(fallback, best, lead, standardError);
    }

    bool IsDefault(TrialRecord trial) =>
        trial.Trainer is { } name && defaults.TryGetValue(name, out var first) &&
        trial.Parameters.ContainsKey(OneOfSpace.ParametersKey) && trial.Parameters[OneOfSpace.ParametersKey].Equals(first);

    static bool PerRow(string metric) => metric is "Accuracy" or "MicroAccuracy" or "RSquared" or "MeanSquaredError" or "RootMeanSquaredError" or "MeanAbsoluteError";

    /// <summary>Each validation row's score, higher is better: right (1) or wrong (0), or the negated squared or absolute error.</summary>
    double[] Scores(ITransformer model, IDataView validation)
    {
        var data = session.Data;
        var scored = TrialRunner.Score(model, validation);
        return data.Task switch
        {
            PredictionKind.BinaryClassification => scored.GetColumn<bool>(ScoringColumns.PredictedLabel).Zip(scored.GetColumn<bool>(data.LabelColumnName), (p, l) => p == l ? 1.0 : 0).ToArray(),
            PredictionKind.MulticlassClassification => scored.GetColumn<uint>(ScoringColumns.PredictedLabel).Zip(scored.GetColumn<uint>(data.LabelColumnName), (p, l) => p == l ? 1.0 : 0).ToArray(),
            _ => scored.GetColumn<float>(ScoringColumns.Score).Zip(scored.GetColumn<float>(data.LabelColumnName),
                (p, l) => data.Metric == "MeanAbsoluteError" ? -Math.Abs(p - (double)l) : -Math.Pow(p - (double)l, 2)).ToArray(),
        };
    }
}
