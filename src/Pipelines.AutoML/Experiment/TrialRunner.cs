using Pipelines.Torch.Trainers;
using Pipelines.AutoML.Metrics;
using Pipelines.AutoML.Portfolio;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Experiment;

/// <summary>What one trial produced.</summary>
internal sealed record TrialOutcome(
    TrialStatus Status, ITransformer? Model, double? ValidationMetric, double? TrainMetric, double? Gap,
    double? Objective, TrainingReport? Report, string? Error, Exception? Exception)
{
    /// <summary>The first fold's <see cref="TrialFit.UsedFidelity"/>, on a completed trial.</summary>
    public int? UsedFidelity { get; init; }
    /// <summary>The seconds spent scoring the model on the validation rows and the train sample (all folds).</summary>
    public double ScoringSeconds { get; init; }
}

/// <summary>
/// Runs one trial: fits the candidate on each fold, evaluates validation and train metrics with ML.NET's evaluators,
/// and turns exceptions into recorded outcomes (failed, diverged, pruned) so the search goes on.
/// </summary>
internal static class TrialRunner
{
    public static TrialOutcome Run(
        TrainerCandidate candidate, Parameter parameters, ExperimentData data, int seed, int threads, double gapPenalty,
        Action<EpochReport>? onEpoch, Func<bool> wasPruned, CancellationToken token, Action<CheckpointReport>? onCheckpoint = null)
    {
        TrainingReport? firstReport = null;
        try
        {
            var validationMetrics = new List<double>();
            var trainMetrics = new List<double>();
            ITransformer? firstModel = null;
            int? usedFidelity = null;
            var scoring = new System.Diagnostics.Stopwatch();
            for (int fold = 0; fold < data.Folds.Count; fold++)
            {
                token.ThrowIfCancellationRequested();
                var (train, validation) = data.Folds[fold];
                var ml = new MLContext(seed + fold);
                using var stopFit = MLContextCancellation.CancelOn(ml, token);
                var context = new TrialFitContext
                {
                    MLContext = ml, Task = data.Task, Train = train, Validation = validation, LabelColumnName = data.LabelColumnName,
                    TrainRows = data.TrainRows, Seed = seed + fold, Threads = threads, CancellationToken = token,
                    // Pruning acts on the first fold's curve: the other folds repeat the same configuration.
                    OnEpoch = fold == 0 ? onEpoch : null,
                    OnCheckpoint = fold == 0 ? onCheckpoint : null,
                    CheckpointsPerEpoch = fold == 0 && onCheckpoint != null ? ExamplesFidelity.CheckpointsPerEpoch : 1,
                };
                var fit = candidate.Fit(context, parameters);
                if (fold == 0) usedFidelity = fit.UsedFidelity;
                firstModel ??= fit.Model;
                firstReport ??= fit.TrainingReport;
                scoring.Start();
                validationMetrics.Add(MetricCatalog.Evaluate(ml, data.Task, data.Metric, Score(fit.Model, validation), data.LabelColumnName));
                trainMetrics.Add(MetricCatalog.Evaluate(ml, data.Task, data.Metric, Score(fit.Model, data.TrainSamples[fold]), data.LabelColumnName));
                scoring.Stop();
            }
            double validationMetric = validationMetrics.Average();
            double trainMetric = trainMetrics.Average();
            double gap = MetricCatalog.Gap(data.Direction, trainMetric, validationMetric);
            if (!double.IsFinite(validationMetric))
                return new TrialOutcome(TrialStatus.Diverged, null, validationMetric, trainMetric, gap, null, firstReport,
                    $"The validation {data.Metric} is {validationMetric}.", null);
            double objective = Objective(data.Direction, validationMetric, gap, gapPenalty);
            return new TrialOutcome(TrialStatus.Completed, firstModel, validationMetric, trainMetric, gap, objective, firstReport, null, null)
            {
                UsedFidelity = usedFidelity, ScoringSeconds = scoring.Elapsed.TotalSeconds,
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Stopped(e, wasPruned(), firstReport);
        }
    }

    /// <summary>A trial that ended in <paramref name="e"/>: diverged, pruned (stopped from outside while pruned) or failed.</summary>
    static TrialOutcome Stopped(Exception e, bool pruned, TrainingReport? firstReport)
    {
        var report = (e as TrainingStoppedException)?.Report ?? firstReport;
        if (e is TrainingStoppedException { Report.StopReason: StopReason.Diverged })
            return new TrialOutcome(TrialStatus.Diverged, null, null, null, null, null, report, e.Message, e);
        if (pruned && IsStop(e)) return new TrialOutcome(TrialStatus.Pruned, null, null, null, null, null, report, "pruned", null);
        return new TrialOutcome(TrialStatus.Failed, null, null, null, null, null, report, Describe(e), e);
    }

    /// <summary>
    /// The model's predictions for <paramref name="rows"/>: an MLP's computed on whole batches by TorchSharp (the ONNX
    /// scorer goes one row at a time, most of a short trial's time), every other model's through Transform.
    /// </summary>
    public static IDataView Score(ITransformer model, IDataView rows) => model is TorchMlpModel mlp ? mlp.ScoreInBatches(rows) : model.Transform(rows);

    /// <summary>The tuned value: the metric, penalized by lambda * max(0, gap) when a gap penalty is set.</summary>
    public static double Objective(OptimizationDirection direction, double metric, double gap, double penalty)
    {
        double cost = penalty * Math.Max(0, gap);
        return direction == OptimizationDirection.Maximize ? metric - cost : metric + cost;
    }

    /// <summary>Whether <paramref name="e"/> is a training stopped from outside (pruned, cancelled, out of budget), however wrapped.</summary>
    public static bool IsStop(Exception? e) => Innermost(e) is TrainingStoppedException or OperationCanceledException;

    static string Describe(Exception e)
    {
        var inner = Innermost(e)!;
        return $"{inner.GetType().Name}: {inner.Message}";
    }

    /// <summary>The exception inside reflection and task wrappers (FastTree's worker threads wrap their cancellation).</summary>
    static Exception? Innermost(Exception? e)
    {
        while (e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException != null) e = e.InnerException;
        return e;
    }
}
