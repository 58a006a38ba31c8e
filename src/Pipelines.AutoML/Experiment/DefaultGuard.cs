using Pipelines.AutoML.Metrics;

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
/// The one-standard-error rule (<see cref="PairedLead"/>) against the winner's curse. The best of many trials scores
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

    /// <summary>
    /// How many more trials join the second look, the best of each trainer not among its candidates yet, for the
    /// ensemble of them that <see cref="OutOfFoldEnsemble"/> weighs; they are left out where the look would not fit with them.
    /// </summary>
    public int OtherTrainers { get; init; }

    /// <summary>The out-of-fold predictions of the last <see cref="Check"/>; null when it compared on the validation rows.</summary>
    public OutOfFold? Evidence { get; private set; }

    public DefaultChoice? Check(TrialRecord best, IReadOnlyList<TrialRecord> trials)
    {
        Evidence = null;
        // The guard's own candidates, and those with the other trainers' best trials after them.
        var own = Candidates(session, best, trials, defaults);
        if (own.Count == 0) return null;
        var candidates = OtherTrainers > 0 ? Candidates(session, best, trials, defaults, OtherTrainers) : own;
        var overdue = SecondLook == null ? () => false : SecondLook(candidates);
        if (overdue == null && candidates.Count > own.Count) (candidates, overdue) = (own, SecondLook!(own));
        int folds = SecondLookFolds;
        Evidence = overdue != null ? CrossValidate(candidates, own.Count, overdue) : null;
        var scores = Evidence?.Scores;
        bool bestIsDefault = IsDefault(best, defaults);
        if (scores == null)
        {
            // On the validation rows a best trial that is a default is already the best default there.
            if (bestIsDefault) return null;
            (folds, scores) = (0, OnValidationRows(candidates.Take(2).ToList()));
        }
        if (scores == null) return null;
        var fallback = candidates.Skip(1).Where(t => IsDefault(t, defaults) && scores.ContainsKey(t.Id)).MaxBy(t => scores[t.Id].Average())!;

        if (PairedLead.Of(scores[best.Id], scores[fallback.Id]) is not { } lead) return null;
        // Between two defaults no rule prefers either: the better mean on all rows is the result.
        bool keep = bestIsDefault ? lead.Lead >= 0 : lead.IsClear;
        return keep ? null : new DefaultChoice(fallback, best, lead.Lead, lead.StandardError, lead.Rows, folds);
    }

    /// <summary>
    /// The trials the guard compares: the best one, then the best <see cref="SecondLookDefaults"/> other default
    /// configurations, then the best trials of up to <paramref name="otherTrainers"/> trainers not among them yet, best
    /// first; none when the guard does not apply (cross-validated trials, a metric that is not a mean over rows, no
    /// other default trial).
    /// </summary>
    public static IReadOnlyList<TrialRecord> Candidates(StudySession session, TrialRecord? best, IEnumerable<TrialRecord> trials,
        IReadOnlyDictionary<string, Parameter> defaults, int otherTrainers = 0)
    {
        if (best == null || session.Data.Folds.Count != 1 || !MetricCatalog.IsMeanOverRows(session.Data.Metric)) return [];
        var ranked = TrialRanking.Completed(trials, session.Direction).Where(t => t.Trainer != EnsembleOutcome.TrainerName).ToList();
        var others = ranked.Where(t => t.Id != best.Id && IsDefault(t, defaults)).Take(SecondLookDefaults).ToList();
        if (others.Count == 0) return [];
        List<TrialRecord> chosen = [best, .. others];
        chosen.AddRange(ranked.Where(t => chosen.All(c => c.Trainer != t.Trainer)).DistinctBy(t => t.Trainer).Take(otherTrainers));
        return chosen;
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

    /// <summary>Each candidate's kept model scored on the validation rows; null when a model was not kept (an earlier run's trial).</summary>
    Dictionary<int, double[]>? OnValidationRows(IReadOnlyList<TrialRecord> candidates)
    {
        var scores = new Dictionary<int, double[]>();
        foreach (var trial in candidates)
        {
            if (!tell.TryGetModel(trial.Id, out var kept)) return null;
            scores[trial.Id] = OutOfFold.Predict(kept.Model, session.Data.Folds[0].Validation, session.Data).Scores;
        }
        return scores;
    }

    /// <summary>
    /// Each candidate's configuration cross-validated over all rows (the same folds for every candidate, so the rows
    /// pair up): its out-of-fold scores and outputs, fold after fold. Once <paramref name="overdue"/>, the candidates
    /// done so far when they include the first <paramref name="required"/>, else null.
    /// </summary>
    OutOfFold? CrossValidate(IReadOnlyList<TrialRecord> candidates, int required, Func<bool> overdue)
    {
        var folds = final.SearchFeaturizedFolds(SecondLookFolds);
        var data = session.Data;
        var labels = folds.SelectMany(f => OutOfFold.LabelsOf(f.Test, data)).ToArray();
        var foldOf = folds.SelectMany((f, i) => Enumerable.Repeat(i, DataPreparation.CountRows(f.Test))).ToArray();
        var look = new OutOfFold(data.Task, data.Metric, labels, foldOf, SecondLookFolds);
        foreach (var trial in candidates)
        {
            var (scores, outputs) = (new List<double>(), new List<float[]>());
            foreach (var (train, test) in folds)
            {
                // Overdue: the other trainers' trials (for the ensemble) are left out, the guard's own candidates are not.
                if (overdue()) return look.Scores.Count >= required ? look : null;
                var fold = OutOfFold.Predict(final.FitOn(train, trial).Model, test, data);
                scores.AddRange(fold.Scores);
                if (fold.Outputs == null) outputs = null;
                else outputs?.AddRange(fold.Outputs);
            }
            look.Scores[trial.Id] = scores.ToArray();
            if (outputs != null) look.Outputs[trial.Id] = outputs.ToArray();
        }
        return look;
    }
}
