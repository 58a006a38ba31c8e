using System.Text.Json.Nodes;
using Pipelines.AutoML.Metrics;
using Pipelines.Torch.Ensembles;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// What the final ensemble step found: its members and weights (chosen on all the validation rows once the check
/// passed), and the check: an ensemble whose weights were chosen on half the validation rows against the best single
/// model, both on the other half (NaN when fewer than two members were chosen).
/// </summary>
public sealed record EnsembleOutcome(IReadOnlyList<int> MemberTrialIds, IReadOnlyList<double> Weights, double HeldOutMetric, double BestSingleHeldOutMetric, bool Kept)
{
    /// <summary>
    /// An ensemble that won its check but was dropped because the time budget has room to refit the best single model
    /// and not all of its members: a refitted single model was better on the benchmark's test rows (docs/benchmarks.md).
    /// </summary>
    public bool DroppedForRefit { get; init; }

    /// <summary>The trainer name of a kept ensemble's trial in the study.</summary>
    public const string TrainerName = "ensemble";
}

/// <summary>
/// After the search: a weighted ensemble of the best trial of each trainer and the next best trials of any (<see cref="EnsembleSelection"/>). Its
/// weights are chosen on one half of the validation rows; only when that ensemble beats the best single model on the
/// other half are they chosen again on all the validation rows and the ensemble kept. A kept
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

        var ml = new MLContext(seed);
        var shuffled = ml.Data.Cache(ml.Data.ShuffleRows(validation, seed));
        int rows = DataPreparation.CountRows(shuffled);
        if (rows < MinimumValidationRows) return null;
        var (selection, check) = (ml.Data.TakeRows(shuffled, rows / 2), ml.Data.SkipRows(shuffled, rows / 2));

        // The check: weights chosen on one half must beat the best single model on the other half.
        var chosen = Choose(pool, selection);
        var outcome = new EnsembleOutcome(chosen.Select(c => c.Trial.Id).ToList(), chosen.Select(c => c.Weight).ToList(), double.NaN, double.NaN, false);
        if (chosen.Count < 2) return (outcome, null, null);
        double ensembleMetric = Evaluate(ml, Ensemble(chosen), check), bestMetric = Evaluate(ml, pool[0].Model!, check);
        outcome = outcome with { HeldOutMetric = ensembleMetric, BestSingleHeldOutMetric = bestMetric };
        if (!session.Direction.IsBetter(ensembleMetric, bestMetric)) return (outcome, null, null);

        // It passed: the kept ensemble's weights are chosen again on all the validation rows, twice the rows of the check's.
        var final = Choose(pool, shuffled);
        if (final.Count < 2) return (outcome, null, null);
        outcome = outcome with { MemberTrialIds = final.Select(c => c.Trial.Id).ToList(), Weights = final.Select(c => c.Weight).ToList() };
        if (MayKeep != null && !MayKeep(final.Select(c => c.Trial).ToList(), outcome.Weights)) return (outcome with { DroppedForRefit = true }, null, null);
        var model = Ensemble(final);
        // Scored like every trial, on the validation rows and the train sample. Its weights were chosen on those rows and
        // the best single model was selected on them, so neither score is a fair test: the held-out check was. When the
        // ensemble does not lead there, its trial says which trial it was chosen over, as the default guard's does.
        double validationMetric = Evaluate(ml, model, validation), trainMetric = Evaluate(ml, model, data.TrainSamples[0]);
        double gap = MetricCatalog.Gap(session.Direction, trainMetric, validationMetric);
        double objective = TrialRunner.Objective(session.Direction, validationMetric, gap, session.GapPenalty);
        outcome = outcome with { Kept = true };
        var record = Record(outcome, validationMetric, trainMetric, gap, objective);
        if (!session.Direction.IsBetter(objective, pool[0].Trial.Objective!.Value))
        {
            TrialAttributes.MarkChosenOver(session.Storage, record.Id, pool[0].Trial.Id);
            record = session.Storage.GetTrial(record.Id);
        }
        return (outcome, record, model);

        ITransformer Ensemble(List<(TrialRecord Trial, ITransformer? Model, double Weight)> members) =>
            WeightedEnsemble.Build(members.Select(c => c.Model!).ToList(), members.Select(c => c.Weight).ToList(), data.Task, validation,
                labelColumnName: data.LabelColumnName);
    }

    /// <summary>The members greedy selection gives weight on <paramref name="rows"/>, with their weights.</summary>
    List<(TrialRecord Trial, ITransformer? Model, double Weight)> Choose(List<(TrialRecord Trial, ITransformer? Model)> pool, IDataView rows)
    {
        var weights = EnsembleSelection.Select(pool.Select(c => Outputs(TrialRunner.Score(c.Model!, rows))).ToList(), Labels(rows), session.Data.Task);
        return pool.Select((c, i) => (c.Trial, c.Model, Weight: weights[i])).Where(c => c.Weight > 0).ToList();
    }

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

    /// <summary>Each row's member output: a binary model's probability, a multiclass model's class scores, a regression score.</summary>
    float[][] Outputs(IDataView scored)
    {
        var column = WeightedEnsemble.MemberOutput(session.Data.Task);
        return session.Data.Task == PredictionKind.MulticlassClassification
            ? scored.GetColumn<float[]>(column).ToArray()
            : scored.GetColumn<float>(column).Select(v => new[] { v }).ToArray();
    }

    List<float> Labels(IDataView rows)
    {
        var label = session.Data.LabelColumnName;
        return session.Data.Task switch
        {
            PredictionKind.BinaryClassification => rows.GetColumn<bool>(label).Select(b => b ? 1f : 0f).ToList(),
            PredictionKind.MulticlassClassification => rows.GetColumn<uint>(label).Select(k => (float)(k - 1)).ToList(),
            _ => rows.GetColumn<float>(label).ToList(),
        };
    }
}
