using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Storage;

namespace Pipelines.Cli.Runs;

/// <summary>Turns a run's plan into an AutoMLExperiment: the CLI's one call into the AutoML engine's configuration.</summary>
internal static class ExperimentFactory
{
    /// <summary>The featurizer's label column, which the trainers and the metric read.</summary>
    public const string LabelColumn = "Label";

    public static AutoMLExperiment Create(MLContext ml, RunPlan plan, RunBudget budget, IMonitor monitor, IStudyStorage storage)
    {
        var (settings, data) = (plan.Settings, plan.Data);
        var experiment = new AutoMLExperiment(ml);
        if (data.Validation != null) experiment.SetDataset(data.Train, data.Validation);
        else experiment.SetDataset(data.Train, InputData.ValidationFraction);
        experiment
            .SetTask(settings.Task, settings.Metric, LabelColumn)
            .SetFeaturizer(data.BuildFeaturizer(ml))
            .SetTrainers(plan.Trainers.ToArray())
            .SetTuner(TunerChoice.Factory(settings.Tuner))
            .SetPruner(PrunerChoice.Create(settings.Pruner, plan.MaxEpochs, settings.Fidelity, data.TrainRows), settings.Fidelity)
            .SetSeed(settings.Seed)
            .SetMaxConcurrentTrials(settings.Parallel)
            .SetGapPenalty(settings.GapPenalty)
            .SetRefit(settings.Refit)
            .SetMonitor(monitor)
            .SetStudy(storage, settings.StudyName, StudyManifest.For(settings));
        foreach (var (trainer, space) in plan.Spaces) experiment.SetSearchSpace(trainer, space);
        if (budget.Seconds is { } seconds) experiment.SetTrainingTimeInSeconds(seconds);
        if (budget.Trials is { } trials) experiment.SetMaxTrials(trials);
        return experiment;
    }
}
