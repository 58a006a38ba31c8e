using System.Globalization;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.Trials;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// The model an experiment returns for its best trial: the one fitted during the search when this run trained it,
/// else the best trial of an earlier run trained again with its recorded seed; optionally refitted on training plus
/// validation rows. It always starts with the featurizer, so it takes the data as given.
/// </summary>
internal sealed class FinalModel(MLContext ml, StudySession session, DatasetPlan plan, IEstimator<ITransformer>? featurizer, int seed)
{
    public BestTrial Build(TrialRecord best, TellStep tell, bool refit)
    {
        var (model, report) = tell.TryGetModel(best.Id, out var kept) ? kept : Retrain(best);
        if (session.Data.Featurizer != null) model = session.Data.Featurizer.Append(model);
        if (refit) (model, report) = Refit(best);
        return new BestTrial(best, model, report, refit);
    }

    /// <summary>A kept ensemble as the result: it starts with the featurizer too.</summary>
    public BestTrial ForEnsemble(TrialRecord record, ITransformer ensemble) =>
        new(record, session.Data.Featurizer?.Append(ensemble) ?? ensemble, null, Refitted: false);

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

    (ITransformer Model, TrainingReport? Report) Refit(TrialRecord best)
    {
        var source = plan.AllRows;
        var fitted = featurizer?.Fit(source);
        var all = ml.Data.Cache(fitted?.Transform(source) ?? source);
        var context = new TrialFitContext
        {
            MLContext = new MLContext(seed), Task = session.Data.Task, Train = all, LabelColumnName = session.Data.LabelColumnName,
            TrainRows = DataPreparation.CountRows(all), Seed = seed,
        };
        var fit = session.Trainer(best.Trainer!).Fit(context, best.Parameters[OneOfSpace.ParametersKey]);
        return (fitted == null ? fit.Model : fitted.Append(fit.Model), fit.TrainingReport);
    }
}
