using Pipelines.Torch.Scoring;

namespace Pipelines.AutoML.Experiment;

/// <summary>What <see cref="DefaultGuard"/> decided when it put a trainer's defaults before the best trial.</summary>
/// <param name="Default">The trial of the best default configuration, which becomes the result.</param>
/// <param name="Passed">The best trial of the search, which did not lead it by enough.</param>
/// <param name="Lead">How far the best trial led, per row (accuracy, or squared or absolute error).</param>
/// <param name="StandardError">The standard error of that lead, from the per-row differences of the two models.</param>
/// <param name="Rows">The rows compared.</param>
/// <param name="Folds">0 when they were the validation rows; k for the out-of-fold predictions of a k-fold cross-validation over all rows (the second look).</param>
public sealed record DefaultChoice(TrialRecord Default, TrialRecord Passed, double Lead, double StandardError, int Rows, int Folds);

/// <summary>
/// The one-standard-error rule (Breiman et al., CART, 1984) against the winner's curse. The best of many trials scores
/// higher on the validation rows than it will on new rows, while a trainer's defaults (its first trial) are what a
/// user would fit without any search. So the best trial is the result only when it beats the best default by more
/// than one standard error of their paired per-row difference; otherwise that default is.
/// <para>
/// The second look: where its predicted time fits (<see cref="SecondLook"/>), the best trial and the two best
/// other defaults are compared on rows the search did not select on, the out-of-fold predictions of a
/// <see cref="SecondLookFolds"/>-fold cross-validation over all rows; the best default is then the one with the best
/// mean there, and a best trial that is itself a default gives way to another default with a better mean. Otherwise
/// the kept models of the best trial and the best default are compared on the validation rows.
/// </para>
/// Only for metrics that are a mean over rows (accuracy, micro-accuracy, R^2, MSE, RMSE, MAE), on one validation set.
/// </summary>
internal sealed class DefaultGuard(StudySession session, TellStep tell, IReadOnlyDictionary<string, Parameter> defaults, FinalModel final)
{
    public const int SecondLookFolds = 3;

    /// <summary>How many default configurations, best first, the second look compares with the best trial.</summary>
    const int SecondLookDefaults = 2;

    /// <summary>
    /// Whether the second look may run for these candidates (the best trial first): null when it may not, else the
    /// check asked before each of its fits, true once it has taken the time it may (a prediction from the trials' times
    /// can be short), when it gives up and the kept models meet on the validation rows instead. Unset: it always runs.
    /// </summary>
    public Func<IReadOnlyList<TrialRecord>, Func<bool>?>? SecondLook { get; init; }

    public DefaultChoice? Check(TrialRecord best, IReadOnlyList<TrialRecord> trials)
    {
        var candidates = Candidates(session, best, trials, defaults);
        if (candidates.Count == 0) return null;
        var overdue = SecondLook == null ? () => false : SecondLook(candidates);
        int folds = SecondLookFolds;
        var scores = overdue != null ? OutOfFold(candidates, overdue) : null;
        bool bestIsDefault = IsDefault(best, defaults);
        if (scores == null)
        {
            // On the validation rows a best trial that is a default is already the best default there.
            if (bestIsDefault) return null;
            (folds, scores) = (0, OnValidationRows(candidates.Take(2).ToList()));
        }
        if (scores == null) return null;
        var fallback = candidates.Skip(1).Where(t => scores.ContainsKey(t.Id)).MaxBy(t => scores[t.Id].Average())!;

        var differences = scores[best.Id].Zip(scores[fallback.Id], (x, y) => x - y).ToArray();
        int n = differences.Length;
        if (n < 2) return null;
        double lead = differences.Average();
        double variance = differences.Sum(v => (v - lead) * (v - lead)) / (n - 1);
        double standardError = Math.Sqrt(variance / n);
        // Between two defaults no rule prefers either: the better mean on all rows is the result.
        bool keep = bestIsDefault ? lead >= 0 : lead > standardError;
        return keep ? null : new DefaultChoice(fallback, best, lead, standardError, n, folds);
    }

    /// <summary>
    /// The trials the guard compares: the best one, then the best <see cref="SecondLookDefaults"/> other default
    /// configurations; none when the guard does not apply (cross-validated trials, a metric that is not a mean over
    /// rows, no other default trial).
    /// </summary>
    public static IReadOnlyList<TrialRecord> Candidates(StudySession session, TrialRecord? best, IEnumerable<TrialRecord> trials,
        IReadOnlyDictionary<string, Parameter> defaults)
    {
        if (best == null || session.Data.Folds.Count != 1 || !PerRow(session.Data.Metric)) return [];
        var others = TrialRanking.Completed(trials, session.Direction).Where(t => t.Id != best.Id && IsDefault(t, defaults)).Take(SecondLookDefaults).ToList();
        return others.Count == 0 ? [] : [best, .. others];
    }

    /// <summary>
    /// What the second look over <paramref name="candidates"/> is predicted to take: each trains
    /// <see cref="SecondLookFolds"/> times on (k - 1)/k of all rows, so its trial's time times
    /// <paramref name="refitScale"/> (all rows over training rows) times k - 1.
    /// </summary>
    public static double SecondLookSeconds(IEnumerable<TrialRecord> candidates, double refitScale) =>
        candidates.Sum(t => t.DurationSeconds) * refitScale * (SecondLookFolds - 1);

    static bool IsDefault(TrialRecord trial, IReadOnlyDictionary<string, Parameter> defaults) =>
        trial.Trainer is { } name && defaults.TryGetValue(name, out var first) &&
        trial.Parameters.ContainsKey(OneOfSpace.ParametersKey) && trial.Parameters[OneOfSpace.ParametersKey].Equals(first);

    static bool PerRow(string metric) => metric is "Accuracy" or "MicroAccuracy" or "RSquared" or "MeanSquaredError" or "RootMeanSquaredError" or "MeanAbsoluteError";

    /// <summary>Each candidate's kept model scored on the validation rows; null when a model was not kept (an earlier run's trial).</summary>
    Dictionary<int, double[]>? OnValidationRows(IReadOnlyList<TrialRecord> candidates)
    {
        var scores = new Dictionary<int, double[]>();
        foreach (var trial in candidates)
        {
            if (!tell.TryGetModel(trial.Id, out var kept)) return null;
            scores[trial.Id] = Scores(kept.Model, session.Data.Folds[0].Validation);
        }
        return scores;
    }

    /// <summary>
    /// Each candidate's configuration cross-validated over all rows (the same folds for every candidate, so the rows
    /// pair up): the scores of its out-of-fold predictions, fold after fold; null once <paramref name="overdue"/>.
    /// </summary>
    Dictionary<int, double[]>? OutOfFold(IReadOnlyList<TrialRecord> candidates, Func<bool> overdue)
    {
        var folds = final.SearchFeaturizedFolds(SecondLookFolds);
        var scores = new Dictionary<int, double[]>();
        foreach (var trial in candidates)
        {
            var rows = new List<double>();
            foreach (var (train, test) in folds)
            {
                if (overdue()) return null;
                rows.AddRange(Scores(final.FitOn(train, trial).Model, test));
            }
            scores[trial.Id] = rows.ToArray();
        }
        return scores;
    }

    /// <summary>Each row's score, higher is better: right (1) or wrong (0), or the negated squared or absolute error.</summary>
    double[] Scores(ITransformer model, IDataView rows)
    {
        var data = session.Data;
        var scored = TrialRunner.Score(model, rows);
        return data.Task switch
        {
            PredictionKind.BinaryClassification => scored.GetColumn<bool>(ScoringColumns.PredictedLabel).Zip(scored.GetColumn<bool>(data.LabelColumnName), (p, l) => p == l ? 1.0 : 0).ToArray(),
            PredictionKind.MulticlassClassification => scored.GetColumn<uint>(ScoringColumns.PredictedLabel).Zip(scored.GetColumn<uint>(data.LabelColumnName), (p, l) => p == l ? 1.0 : 0).ToArray(),
            _ => scored.GetColumn<float>(ScoringColumns.Score).Zip(scored.GetColumn<float>(data.LabelColumnName),
                (p, l) => data.Metric == "MeanAbsoluteError" ? -Math.Abs(p - (double)l) : -Math.Pow(p - (double)l, 2)).ToArray(),
        };
    }
}
