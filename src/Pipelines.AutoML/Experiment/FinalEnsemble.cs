using System.Text.Json.Nodes;
using Pipelines.AutoML.Metrics;
using Pipelines.Torch.Ensembles;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// What the final ensemble step found: its members and weights (chosen on all the rows of its evidence once the check
/// passed), and the check: the ensemble's metric where each row is scored by weights chosen without it, against the
/// single model it would replace, on the same rows (NaN when fewer than two members were chosen).
/// </summary>
public sealed record EnsembleOutcome(IReadOnlyList<int> MemberTrialIds, IReadOnlyList<double> Weights, double HeldOutMetric, double BestSingleHeldOutMetric, bool Kept)
{
    /// <summary>
    /// An ensemble that won its check but was dropped because the time budget has room to refit the best single model
    /// and not all of its members: a refitted single model was better on the benchmark's test rows (docs/benchmarks.md).
    /// </summary>
    public bool DroppedForRefit { get; init; }

    /// <summary>
    /// Where the check's metrics come from: 0, the validation rows, each half scored by weights chosen on the other;
    /// k, the out-of-fold predictions of the second look's k-fold cross-validation over all rows, each fold scored by
    /// weights chosen on the others (<see cref="OutOfFoldEnsemble"/>).
    /// </summary>
    public int Folds { get; init; }

    /// <summary>The trainer name of a kept ensemble's trial in the study.</summary>
    public const string TrainerName = "ensemble";
}

/// <summary>
/// After the search: a weighted ensemble (<see cref="OutOfFoldEnsemble"/>), kept only when it beats the single model
/// it would replace on rows its weights were not chosen on, by more than one standard error where the metric is a mean over rows. Its evidence is the second look's cross-validation over
/// all rows where that ran (its candidates against the single model it chose), else the validation rows of the best
/// trial of each trainer and the next best trials of any, cut in two halves (against the best trial). A kept
/// ensemble is recorded in the study as a trial of its own (trainer "ensemble", its members and weights as
/// parameters, its metrics on the whole validation set like every other trial) and becomes the result.
/// </summary>
internal sealed class FinalEnsemble(StudySession session, TellStep tell, int seed)
{
    /// <summary>Whether an ensemble of these members (and weights) may be kept; null keeps every one that wins its check.</summary>
    public Func<IReadOnlyList<TrialRecord>, IReadOnlyList<double>, bool>? MayKeep { get; init; }

    /// <summary>How many of the best trials the ensemble chooses from.</summary>
    public const int Candidates = 10;
    /// <summary>Below this many validation rows, half of them cannot tell an ensemble from its best member.</summary>
    const int MinimumValidationRows = 40;

    /// <summary>The ensemble of the search's best trials on the validation rows.</summary>
    public (EnsembleOutcome Outcome, TrialRecord? Record, ITransformer? Model)? Build(IReadOnlyList<TrialRecord> trials)
    {
        var data = session.Data;
        if (data.Folds.Count != 1) return null;
        var validation = data.Folds[0].Validation;
        var ranked = TrialRanking.Completed(trials, session.Direction)
            .Select(t => (Trial: t, Model: tell.TryGetModel(t.Id, out var kept) ? kept.Model : null))
            .Where(c => c.Model != null && WeightedEnsemble.CanJoin(c.Model, validation, data.Task)).ToList();
        // The best trial of each trainer first (an average gains from members that err differently, and the ten best
        // trials are often one trainer's near copies), then the next best of any; the best overall stays first.
        var pool = ranked.GroupBy(c => c.Trial.Trainer).Select(g => g.First()).Concat(ranked).DistinctBy(c => c.Trial.Id).Take(Candidates).ToList();
        if (pool.Count < 2) return null;
        int rows = DataPreparation.CountRows(validation);
        if (rows < MinimumValidationRows) return null;

        // The two halves at random under the seed; the rows of the evidence are in the shuffled order.
        var ml = new MLContext(seed);
        var shuffled = ml.Data.Cache(ml.Data.ShuffleRows(validation, seed));
        var halves = new[] { ml.Data.TakeRows(shuffled, rows / 2), ml.Data.SkipRows(shuffled, rows / 2) };
        var look = new OutOfFold(data.Task, data.Metric, OutOfFold.LabelsOf(shuffled, data), Enumerable.Range(0, rows).Select(r => r < rows / 2 ? 0 : 1).ToArray(), folds: 0);
        foreach (var (trial, model) in pool)
        {
            var (scores, outputs) = OutOfFold.Predict(model!, shuffled, data);
            (look.Scores[trial.Id], look.Outputs[trial.Id]) = (scores, outputs!);
        }
        if (MetricCatalog.IsMeanOverRows(data.Metric)) return FromEvidence(look, pool[0].Trial, trials);

        // A metric that is not a mean over rows (AUC, F1, log-loss, macro-accuracy) is taken on each half as a whole.
        return FromEvidence(look, pool[0].Trial, trials, (ids, foldWeights) =>
        {
            double Mean(Func<int, ITransformer> model) => Enumerable.Range(0, 2).Average(h => Evaluate(ml, model(h), halves[h]));
            var models = ids.Select(id => pool.Single(c => c.Trial.Id == id).Model!).ToList();
            return (Mean(h => Ensemble(models, foldWeights[h])), Mean(_ => pool[0].Model!));
        });
    }

    /// <summary>
    /// The ensemble of the trials <paramref name="look"/> has outputs for, kept when it beats <paramref name="single"/>
    /// on rows its weights were not chosen on: by more than one standard error of the per-row score differences
    /// (<see cref="PairedLead"/>), or, given <paramref name="wholeMetric"/>,
    /// by the experiment's metric of the ensemble (from the trials and each fold's weights) and of the single model.
    /// Its members are the models the search kept; only they can be weighed.
    /// </summary>
    public (EnsembleOutcome Outcome, TrialRecord? Record, ITransformer? Model)? FromEvidence(OutOfFold look, TrialRecord single, IReadOnlyList<TrialRecord> trials,
        Func<IReadOnlyList<int>, IReadOnlyDictionary<int, double[]>, (double Ensemble, double Single)>? wholeMetric = null)
    {
        var ranked = TrialRanking.Completed(trials, session.Direction).Where(t => look.Outputs.ContainsKey(t.Id) && tell.TryGetModel(t.Id, out _)).ToList();
        if (ranked.Count < 2 || !look.Scores.ContainsKey(single.Id)) return null;
        if (OutOfFoldEnsemble.Select(look, ranked.Select(t => t.Id).ToList()) is not { } chosen)
            return (new EnsembleOutcome([ranked[0].Id], [1.0], double.NaN, double.NaN, false) { Folds = look.Folds }, null, null);
        var (ensembleMetric, singleMetric) = wholeMetric?.Invoke(chosen.Pool, chosen.FoldWeights) ?? (look.AsMetric(chosen.Scores), look.AsMetric(look.Scores[single.Id]));
        var outcome = new EnsembleOutcome(chosen.TrialIds, chosen.Weights, ensembleMetric, singleMetric, false) { Folds = look.Folds };
        // Per row, the simpler model stays unless the ensemble leads it by more than one standard error (as the default
        // guard's rule): an ensemble that led by 3 to 8 of digits' 1,437 rows did not lead on the test rows.
        bool better = wholeMetric != null
            ? session.Direction.IsBetter(ensembleMetric, singleMetric)
            : PairedLead.Of(chosen.Scores, look.Scores[single.Id]) is { IsClear: true };
        if (!better) return (outcome, null, null);
        var members = chosen.TrialIds.Select((id, i) => (Trial: ranked.Single(t => t.Id == id), Model: tell.TryGetModel(id, out var kept) ? kept.Model : null, Weight: chosen.Weights[i])).ToList();
        return Keep(outcome, members, ranked[0]);
    }

    /// <summary>
    /// An ensemble that passed its check, unless <see cref="MayKeep"/> refuses it: recorded as a trial of the study and
    /// returned with its model. <paramref name="top"/> is the best trial, which the ensemble's trial says it was
    /// chosen over when it does not lead it on the validation rows.
    /// </summary>
    (EnsembleOutcome Outcome, TrialRecord? Record, ITransformer? Model) Keep(EnsembleOutcome outcome,
        List<(TrialRecord Trial, ITransformer? Model, double Weight)> final, TrialRecord top)
    {
        var data = session.Data;
        var validation = data.Folds[0].Validation;
        if (MayKeep != null && !MayKeep(final.Select(c => c.Trial).ToList(), outcome.Weights)) return (outcome with { DroppedForRefit = true }, null, null);
        var ml = new MLContext(seed);
        var model = Ensemble(final.Select(c => c.Model!).ToList(), final.Select(c => c.Weight).ToList());
        // Scored like every trial, on the validation rows and the train sample. Its weights were chosen on those rows (or
        // on the second look's) and the best single model was selected on them, so neither score is a fair test: the
        // check was. When the ensemble does not lead there, its trial says which trial it was chosen over, as the default guard's does.
        double validationMetric = Evaluate(ml, model, validation), trainMetric = Evaluate(ml, model, data.TrainSamples[0]);
        double gap = MetricCatalog.Gap(session.Direction, trainMetric, validationMetric);
        double objective = TrialRunner.Objective(session.Direction, validationMetric, gap, session.GapPenalty);
        outcome = outcome with { Kept = true };
        var record = Record(outcome, validationMetric, trainMetric, gap, objective);
        if (!session.Direction.IsBetter(objective, top.Objective!.Value))
        {
            TrialAttributes.MarkChosenOver(session.Storage, record.Id, top.Id);
            record = session.Storage.GetTrial(record.Id);
        }
        return (outcome, record, model);
    }

    /// <summary>The weighted ensemble of <paramref name="models"/>, for the schema of the validation rows.</summary>
    ITransformer Ensemble(IReadOnlyList<ITransformer> models, IReadOnlyList<double> weights) =>
        WeightedEnsemble.Build(models, weights, session.Data.Task, session.Data.Folds[0].Validation, labelColumnName: session.Data.LabelColumnName);

    /// <summary>The ensemble as a finished trial of the study, with its members and weights as parameters.</summary>
    TrialRecord Record(EnsembleOutcome outcome, double validationMetric, double trainMetric, double gap, double objective)
    {
        var storage = session.Storage;
        var parameters = Parameter.FromNode(new JsonObject
        {
            [OneOfSpace.OptionKey] = EnsembleOutcome.TrainerName,
            [OneOfSpace.ParametersKey] = new JsonObject
            {
                ["members"] = new JsonArray(outcome.MemberTrialIds.Select(id => (JsonNode?)id).ToArray()),
                ["weights"] = new JsonArray(outcome.Weights.Select(w => (JsonNode?)Math.Round(w, 4)).ToArray()),
            },
        });
        var now = DateTimeOffset.UtcNow;
        int id = storage.CreateTrial(session.StudyName, parameters, EnsembleOutcome.TrainerName, now);
        storage.SetTrialAttribute(id, TrialAttributes.EnsembleHeldOutMetric, outcome.HeldOutMetric.ToString("R", CultureInfo.InvariantCulture));
        storage.FinishTrial(id, TrialStatus.Completed, objective, validationMetric, trainMetric, gap, null, now, 0);
        return storage.GetTrial(id);
    }

    double Evaluate(MLContext ml, ITransformer model, IDataView rows) =>
        MetricCatalog.Evaluate(ml, session.Data.Task, session.Data.Metric, TrialRunner.Score(model, rows), session.Data.LabelColumnName);
}
