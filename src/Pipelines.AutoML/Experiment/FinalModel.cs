using Pipelines.AutoML.Portfolio;
using Pipelines.Torch.Ensembles;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// The model an experiment returns for its best trial: the one fitted during the search when this run trained it,
/// else the best trial of an earlier run trained again with its recorded seed; optionally refitted on training plus
/// validation rows (a kept ensemble's members too). It always starts with the featurizer, so it takes the data as given.
/// </summary>
internal sealed class FinalModel(MLContext ml, StudySession session, DatasetPlan plan, IEstimator<ITransformer>? featurizer, int seed)
{
    /// <summary>
    /// The best trial's model, refitted when <paramref name="refit"/>. A refit still running when <paramref name="stop"/>
    /// is cancelled (the budget's end) is given up for the model the search trained (<see cref="BestTrial.RefitStopped"/>).
    /// </summary>
    public BestTrial Build(TrialRecord best, TellStep tell, bool refit, CancellationToken stop = default)
    {
        if (refit)
        {
            try
            {
                var (fitted, all) = FeaturizeAllRows();
                var fit = FitOn(all, best, stop);
                return new BestTrial(best, fitted == null ? fit.Model : fitted.Append(fit.Model), fit.TrainingReport, Refitted: true) { RefittedTrialIds = [best.Id] };
            }
            catch (Exception e) when (stop.IsCancellationRequested && TrialRunner.IsStop(e))
            {
                return Build(best, tell, refit: false) with { RefitStopped = true };
            }
        }
        var (model, report) = tell.TryGetModel(best.Id, out var kept) ? kept : Retrain(best);
        if (session.Data.Featurizer != null) model = session.Data.Featurizer.Append(model);
        return new BestTrial(best, model, report, Refitted: false);
    }

    /// <summary>
    /// A kept ensemble as the result: it starts with the featurizer too. The members in <paramref name="refit"/> are
    /// fitted again on all rows and averaged with the weights the selection gave them, so that a refitted run never
    /// returns members that saw fewer rows than a refitted single model would. When only some are (the others' refit
    /// did not fit the budget), all rows go through the search's featurizer, which the members kept as trained read.
    /// </summary>
    public BestTrial ForEnsemble(TrialRecord record, ITransformer ensemble, IReadOnlyList<TrialRecord> members, IReadOnlyList<double> weights,
        IReadOnlySet<int> refit, TellStep tell, CancellationToken stop = default)
    {
        if (refit.Count == 0) return new(record, session.Data.Featurizer?.Append(ensemble) ?? ensemble, null, Refitted: false);
        bool every = members.All(m => refit.Contains(m.Id));
        var (fitted, all) = every ? FeaturizeAllRows() : (session.Data.Featurizer, SearchFeaturizedRows());
        List<ITransformer> models;
        try
        {
            models = members.Select(m => refit.Contains(m.Id) ? FitOn(all, m, stop).Model : tell.TryGetModel(m.Id, out var kept) ? kept.Model : Retrain(m).Model).ToList();
        }
        catch (Exception e) when (stop.IsCancellationRequested && TrialRunner.IsStop(e))
        {
            return ForEnsemble(record, ensemble, members, weights, new HashSet<int>(), tell) with { RefitStopped = true };
        }
        var refitted = WeightedEnsemble.Build(models, weights, session.Data.Task, all, labelColumnName: session.Data.LabelColumnName);
        return new(record, fitted == null ? refitted : fitted.Append(refitted), null, Refitted: every)
        {
            RefittedTrialIds = members.Where(m => refit.Contains(m.Id)).Select(m => m.Id).ToList(),
        };
    }

    /// <summary>The best trial may come from an earlier run of a resumed study: its model was not kept, so train it again.</summary>
    (ITransformer Model, TrainingReport? Report) Retrain(TrialRecord trial)
    {
        int trialSeed = trial.Attributes.TryGetValue(TrialAttributes.Seed, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : seed;
        var outcome = TrialRunner.Run(session.Trainer(trial.Trainer!), trial.Parameters[OneOfSpace.ParametersKey], session.Data,
            trialSeed, session.Threads, session.GapPenalty, null, () => false, CancellationToken.None);
        if (outcome.Model == null)
            throw new AutoMLException($"Retraining trial {trial.Id} ({trial.Trainer}), the best of an earlier run, failed: {outcome.Error}", new[] { trial });
        return (outcome.Model, outcome.Report);
    }

    /// <summary>Every row the experiment was given, featurized by the featurizer fitted again on them (or as they are without one), cached.</summary>
    (ITransformer? Featurizer, IDataView Rows) FeaturizeAllRows()
    {
        var source = plan.AllRows;
        var fitted = featurizer?.Fit(source);
        return (fitted, ml.Data.Cache(fitted?.Transform(source) ?? source));
    }

    /// <summary>Every row the experiment was given, through the featurizer the search fitted (as the trials' models read them), cached.</summary>
    public IDataView SearchFeaturizedRows() => ml.Data.Cache(session.Data.Featurizer?.Transform(plan.AllRows) ?? plan.AllRows);

    /// <summary>
    /// Those rows cut into <paramref name="folds"/> cross-validation folds under the experiment's seed, each side cached
    /// as the trials' data is (a trainer that reads its rows once per epoch would otherwise filter them every time).
    /// </summary>
    public IReadOnlyList<(IDataView Train, IDataView Test)> SearchFeaturizedFolds(int folds) =>
        ml.Data.CrossValidationSplit(SearchFeaturizedRows(), folds, seed: seed).Select(f => (ml.Data.Cache(f.TrainSet), ml.Data.Cache(f.TestSet))).ToList();

    /// <summary>
    /// The trial's configuration fitted on <paramref name="rows"/>. No validation rows are left to stop early on, so a
    /// trial that stopped early (<see cref="TrialAttributes.UsedFidelity"/>) is trained as far as it went.
    /// </summary>
    public TrialFit FitOn(IDataView rows, TrialRecord trial, CancellationToken stop = default)
    {
        var candidate = session.Trainer(trial.Trainer!);
        var parameters = trial.Parameters[OneOfSpace.ParametersKey];
        if (candidate.FidelityParameter is { } key && parameters.ContainsKey(key)
            && trial.Attributes.TryGetValue(TrialAttributes.UsedFidelity, out var used) && int.TryParse(used, CultureInfo.InvariantCulture, out int amount))
            parameters = parameters.With(key, Parameter.FromInt(amount));
        var ml = new MLContext(seed);
        using var stopFit = MLContextCancellation.CancelOn(ml, stop);
        var context = new TrialFitContext
        {
            MLContext = ml, Task = session.Data.Task, Train = rows, LabelColumnName = session.Data.LabelColumnName,
            TrainRows = DataPreparation.CountRows(rows), Seed = seed, CancellationToken = stop,
        };
        return candidate.Fit(context, parameters);
    }
}
