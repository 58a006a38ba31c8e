using Pipelines.Torch.Trainers;

namespace Pipelines.Torch.BatchSize;

/// <summary>
/// Batch size as a measured quantity. Trains the trainer's network at each batch size (same data, same seed, same
/// initial weights) with the learning rate of <see cref="BatchSizeSweepOptions.LearningRateSelection"/>, measuring
/// the validation loss at geometrically spaced points and the gradient noise scale all along; then takes the steps S
/// and examples E each batch size needed to reach the target loss, fits McCandlish et al.'s trade-off
/// (S/S_min − 1)(E/E_min − 1) = 1 for the critical batch size B_crit = E_min / S_min, sets it beside the measured
/// B_simple, and recommends a batch size.
/// <code>
/// var trainer = ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Optimizer = OptimizerKind.Sgd, LearningRate = 0.05 });
/// var result = BatchSizeSweep.Run(trainer, data, new BatchSizeSweepOptions { TrainTimeSeconds = 120 });
/// Console.WriteLine($"B_crit {result.CriticalBatchSize:N0}, B_simple {result.GradientNoiseScale:N0}: {result.Recommendation.Text}");
/// </code>
/// </summary>
public static class BatchSizeSweep
{
    /// <summary>Sweeps the batch size of an MLP trainer (its options are the template: network, optimizer, rate at the reference batch size).</summary>
    public static BatchSizeSweepResult Run(TorchMlpTrainer trainer, IDataView data, BatchSizeSweepOptions? options = null) =>
        Run((IPreparableTrainer)trainer, data, options ?? new BatchSizeSweepOptions());

    /// <summary>Sweeps the batch size of an image classifier.</summary>
    public static BatchSizeSweepResult Run(TorchImageClassifierTrainer trainer, IDataView data, BatchSizeSweepOptions? options = null) =>
        Run((IPreparableTrainer)trainer, data, options ?? new BatchSizeSweepOptions());

    /// <summary>The scaling rule the sweep applies: the trainer's own, else linear for SGD and square root for Adam and AdamW.</summary>
    public static LearningRateScaling RuleFor(TorchTrainerOptions template) =>
        template.LearningRateScaling != LearningRateScaling.None ? template.LearningRateScaling
        : template.Optimizer == OptimizerKind.Sgd ? LearningRateScaling.Linear : LearningRateScaling.SquareRoot;

    internal static BatchSizeSweepResult Run(IPreparableTrainer trainer, IDataView data, BatchSizeSweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        var template = trainer.Options;
        using var prepared = trainer.Prepare(data);
        if (prepared.ValidationRows == 0)
            throw new ArgumentException("The batch-size sweep trains to a validation loss, but the trainer has no validation rows: " +
                                        "set its ValidationSet, or a ValidationFraction above 0 that leaves at least one row.");
        var notes = new List<string>();
        var sizes = EffectiveBatchSizes(options.BatchSizes, prepared.TrainRows, notes);
        var rule = options.LearningRateSelection == LearningRateSelection.Fixed ? LearningRateScaling.None : RuleFor(template);
        var factors = options.LearningRateSelection == LearningRateSelection.Search ? options.LearningRateFactors : new[] { 1.0 };
        var plan = sizes.SelectMany(b => factors.Select(f => (Batch: b, Rate: f * template.LearningRate * LearningRatePlan.ScaleFactor(rule, b, template.ReferenceBatchSize)))).ToList();
        double? budget = options.TrainTimeSeconds / plan.Count;

        var runs = new List<BatchSizeRun>();
        for (int i = 0; i < plan.Count; i++)
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            var (batch, rate) = plan[i];
            options.Progress?.Report(new BatchSizeSweepProgress(i + 1, plan.Count, batch, rate));
            int epochs = options.MatchSteps ? EpochsForSteps(options.MaxEpochs * StepsPerEpoch(prepared.TrainRows, sizes[0]), prepared.TrainRows, batch) : options.MaxEpochs;
            var run = RunOne(prepared, template, options, batch, rate, epochs, budget, epoch => options.Progress?.Report(new BatchSizeSweepProgress(i + 1, plan.Count, batch, rate, epoch)));
            options.CancellationToken.ThrowIfCancellationRequested();
            if (run.Report.StopReason == StopReason.Diverged) notes.Add($"Batch size {batch} at learning rate {rate:G3} diverged.");
            runs.Add(run);
            options.Progress?.Report(new BatchSizeSweepProgress(i + 1, plan.Count, batch, rate, Finished: run));
        }

        double target = options.TargetLoss ?? AutomaticTarget(runs, sizes, options.TargetMargin, notes);
        var points = sizes.Select(b => Point(runs.Where(r => r.BatchSize == b).ToList(), target)).ToList();
        foreach (var p in points.Where(p => !p.ReachedTarget)) notes.Add($"Batch size {p.BatchSize} did not reach the validation loss {target:G4} within its budget.");
        var fit = CriticalBatchSizeFit.Fit(points.Where(p => p.ReachedTarget).Select(p => (p.Steps!.Value, p.Examples!.Value)));
        var stepTime = StepTimeModel.Fit(runs.Select(r => ((double)r.BatchSize, r.SecondsPerStep)));
        var first = runs[0].Report;
        return new BatchSizeSweepResult
        {
            Task = first.Task,
            MetricName = first.MetricName,
            LossName = first.LossName,
            TargetLoss = target,
            TargetGiven = options.TargetLoss is not null,
            LearningRateSelection = options.LearningRateSelection,
            LearningRateRule = rule,
            TrainRows = prepared.TrainRows,
            ValidationRows = prepared.ValidationRows,
            Runs = runs,
            Points = points,
            Fit = fit,
            GradientNoiseScale = Median(points.Select(p => p.GradientNoiseScale)),
            StepTime = stepTime,
            Recommendation = BatchSizeRecommendation.From(points, fit, stepTime, target),
            Notes = notes,
        };
    }

    static int StepsPerEpoch(int rows, int batch) => (rows + batch - 1) / batch;

    /// <summary>The epochs at <paramref name="batch"/> that take at least <paramref name="steps"/> optimizer steps.</summary>
    static int EpochsForSteps(long steps, int rows, int batch) => (int)Math.Min(int.MaxValue, (steps + StepsPerEpoch(rows, batch) - 1) / StepsPerEpoch(rows, batch));

    static BatchSizeRun RunOne(PreparedTraining prepared, TorchTrainerOptions template, BatchSizeSweepOptions sweep, int batch, double rate,
        int epochs, double? budget, Action<EpochReport> onEpoch)
    {
        var o = template.Clone();
        o.BatchSize = batch;
        o.LearningRate = rate;
        o.LearningRateScaling = LearningRateScaling.None;
        o.MinLearningRate = template.MinLearningRate * rate / template.LearningRate;
        o.Epochs = epochs;
        o.WarmupEpochs = Math.Min(template.WarmupEpochs, epochs);
        o.EarlyStoppingPatience = 0; // the target and the budget end a run
        o.MeasureGradientNoiseScale = true;
        o.NoiseScaleTimeShare = sweep.NoiseScaleTimeShare;
        o.Progress = new CallbackProgress<EpochReport>(onEpoch);
        o.CancellationToken = sweep.CancellationToken;
        o.Validate();

        var observer = new CheckpointObserver(sweep.TargetLoss, sweep.CheckGrowth, budget, (long)epochs * prepared.TrainRows, sweep.PlateauFactor);
        var (network, report) = prepared.Train(o, observer);
        network.Dispose();
        return new BatchSizeRun { BatchSize = batch, LearningRate = rate, Checkpoints = observer.Checkpoints, Report = report };
    }

    /// <summary>The batch sizes as trained: capped at the training rows, each once, smallest first.</summary>
    static List<int> EffectiveBatchSizes(IEnumerable<int> requested, int rows, List<string> notes)
    {
        var capped = requested.Where(b => b > rows).ToList();
        if (capped.Count > 0)
            notes.Add($"Batch sizes {string.Join(", ", capped)} exceed the {rows} training rows: trained once, full-batch (batch size {rows}).");
        return requested.Select(b => Math.Min(b, rows)).Distinct().Order().ToList();
    }

    /// <summary>
    /// The highest of the batch sizes' lowest validation losses, raised by <paramref name="margin"/> of that run's drop
    /// from its first check: every batch size (that did not diverge throughout) reaches it, none only at its very bottom.
    /// </summary>
    static double AutomaticTarget(List<BatchSizeRun> runs, List<int> sizes, double margin, List<string> notes)
    {
        var best = sizes.Select(b => (Batch: b, Run: runs.Where(r => r.BatchSize == b && r.LowestValidationLoss is not null).MinBy(r => r.LowestValidationLoss!.Value))).ToList();
        foreach (var (b, _) in best.Where(l => l.Run is null)) notes.Add($"Batch size {b} has no finite validation loss: left out of the target.");
        var finite = best.Where(l => l.Run is not null).ToList();
        if (finite.Count == 0) throw new InvalidOperationException("Every run of the batch-size sweep diverged: lower the learning rate.");
        var (batch, hardest) = finite.MaxBy(l => l.Run!.LowestValidationLoss!.Value);
        double lowest = hardest!.LowestValidationLoss!.Value, start = hardest.Checkpoints[0].ValidationLoss;
        double target = lowest + margin * Math.Max(0, double.IsFinite(start) ? start - lowest : 0);
        notes.Add($"Target validation loss {target:G4}: the lowest that batch size {batch} reached ({lowest:G4}, the highest of the batch sizes' lowest losses), " +
                  $"plus {margin:P0} of its drop from {start:G4}.");
        return target;
    }

    /// <summary>A batch size's point: its run that reached the target in the fewest steps, else its run with the lowest loss.</summary>
    static BatchSizePoint Point(List<BatchSizeRun> runs, double target)
    {
        var crossings = runs.Select(r => (Run: r, Crossing: TargetCrossing.Find(r.Checkpoints, target))).ToList();
        var reached = crossings.Where(c => c.Crossing is not null).ToList();
        var best = reached.Count > 0 ? reached.MinBy(c => c.Crossing!.Steps) : default;
        var run = best.Run ?? runs.MinBy(r => r.LowestValidationLoss ?? double.PositiveInfinity)!;
        var last = run.Report.Epochs.LastOrDefault();
        return new BatchSizePoint
        {
            BatchSize = run.BatchSize,
            LearningRate = run.LearningRate,
            Steps = best.Crossing?.Steps,
            Examples = best.Crossing?.Examples,
            Seconds = best.Crossing?.Seconds,
            SamplesPerSecond = run.SamplesPerSecond,
            TrainMetric = last?.TrainMetric,
            ValidationMetric = last?.ValidationMetric,
            Gap = last?.GeneralizationGap,
            GradientNoiseScale = best.Crossing is not null ? best.Crossing.GradientNoiseScale : run.Checkpoints.LastOrDefault()?.GradientNoiseScale,
        };
    }

    static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).Order().ToArray();
        if (sorted.Length == 0) return null;
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    sealed class CallbackProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
