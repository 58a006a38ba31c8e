using System.Diagnostics;
using Pipelines.Torch.Data;
using Pipelines.Torch.NoiseScale;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Torch.Training;

/// <summary>Tensors a training run uses, already on the device and standardized.</summary>
internal sealed record TrainingTensors(Tensor TrainFeatures, Tensor TrainLabels, Tensor? ValidationFeatures, Tensor? ValidationLabels);

/// <summary>The result of a run that produced a model (completed or stopped early).</summary>
internal sealed record TrainingOutcome(TrainingReport Report);

/// <summary>
/// The training loop shared by every Torch trainer. Per epoch: one shuffle (a permutation and one gather), then
/// contiguous <c>narrow</c> views per step inside a dispose scope (DESIGN.md section 3: per-step overhead dominates
/// small batches), then an eval-mode measurement of train and validation loss and metric.
/// </summary>
internal static class TrainingLoop
{
    /// <summary>The train-side measurement uses a fixed sample at least this large (or the whole set if smaller).</summary>
    const int MinTrainEvaluationRows = 2048;

    public static TrainingOutcome Run(
        nn.Module<Tensor, Tensor> model, TaskHead head, TrainingTensors data, TorchTrainerOptions options,
        Device device, int seed, Generator generator, ImageAugmentation? augmentation = null, int evaluationChunk = 8192,
        IStepObserver? observer = null)
    {
        var total = Stopwatch.StartNew();
        int rows = (int)data.TrainFeatures.shape[0];
        int validationRows = data.ValidationFeatures is null ? 0 : (int)data.ValidationFeatures.shape[0];
        int batch = Math.Min(options.BatchSize, rows);
        int stepsPerEpoch = (rows + batch - 1) / batch;
        var plan = new LearningRatePlan(options, batch, stepsPerEpoch);
        var notes = new List<string>();
        if (options.BatchSize > rows)
            notes.Add($"Batch size {options.BatchSize} exceeds the {rows} training rows: trained full-batch (batch size {rows}).");

        var parameters = model.parameters().ToList();
        using var optimizer = CreateOptimizer(options, parameters, plan.ScaledRate);
        var paramGroups = optimizer.ParamGroups.ToList();

        // A fixed sample of the training set for the train-side metric, the size of the validation set or larger.
        int trainEvalRows = Math.Min(rows, Math.Max(validationRows, MinTrainEvaluationRows));
        // Every intermediate tensor is disposed here: a leaked one waits for the finalizer with its native memory.
        using var trainEvalPermutation = randperm(rows, generator: generator);
        using var trainEvalHead = trainEvalPermutation.narrow(0, 0, trainEvalRows);
        using var trainEvalIndex = trainEvalHead.to(device);
        using var trainEvalFeatures = data.TrainFeatures.index_select(0, trainEvalIndex);
        using var trainEvalLabels = data.TrainLabels.index_select(0, trainEvalIndex);

        var epochs = new List<EpochReport>();
        var stopReason = StopReason.Completed;
        long step = 0;
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, epochsWithoutImprovement = 0;
        List<Tensor>? bestWeights = null;
        bool earlyStopping = options.EarlyStoppingPatience > 0 && validationRows > 0;
        double lastRate = plan.ScaledRate;
        var noise = NoiseScaleMeter.For(options, parameters);
        // Optimization time: the steps only, without the per-epoch evaluation or the observer's time.
        double optimizationSeconds = 0, observerSeconds = 0;
        long examples = 0;
        var epochWatch = new Stopwatch();
        double OptimizationSoFar() => optimizationSeconds + epochWatch.Elapsed.TotalSeconds - observerSeconds;
        double ValidationLoss()
        {
            model.eval();
            try { return head.Evaluate(model, data.ValidationFeatures!, data.ValidationLabels!, evaluationChunk).Loss; }
            finally { model.train(); }
        }
        Func<double> measureValidationLoss = data.ValidationFeatures is null
            ? () => throw new InvalidOperationException("This run has no validation rows.")
            : ValidationLoss;
        // The observer sees the untrained model too (step 0), and may stop there.
        if (observer?.Observe(new StepProgress(0, 0, 0, null), measureValidationLoss) is { } stopBefore) stopReason = stopBefore;

        try
        {
            for (int epoch = 0; epoch < options.Epochs && stopReason == StopReason.Completed; epoch++)
            {
                epochWatch.Restart();
                observerSeconds = 0;
                model.train();
                int stepsThisEpoch = 0;
                using (var shuffle = randperm(rows, generator: generator).to(device, disposeAfter: true))
                using (var x = data.TrainFeatures.index_select(0, shuffle))
                using (var y = data.TrainLabels.index_select(0, shuffle))
                {
                    for (int start = 0; start < rows; start += batch)
                    {
                        if (options.CancellationToken.IsCancellationRequested) { stopReason = StopReason.Cancelled; break; }
                        lastRate = plan.At(epoch, step);
                        foreach (var group in paramGroups) group.LearningRate = lastRate;

                        using var scope = NewDisposeScope();
                        int n = Math.Min(batch, rows - start);
                        var features = x.narrow(0, start, n);
                        if (augmentation is { IsActive: true }) features = augmentation.Apply(features);
                        var labels = y.narrow(0, start, n);
                        optimizer.zero_grad();
                        if (noise != null && noise.ShouldMeasure(n, OptimizationSoFar()))
                            noise.Backward(features, labels, (f, l) => head.Loss(model.forward(f), l));
                        else
                            head.Loss(model.forward(features), labels).backward();
                        if (options.GradientClipNorm is { } clip) nn.utils.clip_grad_norm_(parameters, clip);
                        optimizer.step();
                        step++;
                        stepsThisEpoch++;
                        examples += n;
                        if (observer != null)
                        {
                            var before = epochWatch.Elapsed;
                            var stop = observer.Observe(new StepProgress(step, examples, OptimizationSoFar(), noise?.Current), measureValidationLoss);
                            observerSeconds += (epochWatch.Elapsed - before).TotalSeconds;
                            if (stop is { } reason) { stopReason = reason; break; }
                        }
                    }
                }
                double trainSeconds = epochWatch.Elapsed.TotalSeconds - observerSeconds;
                optimizationSeconds += trainSeconds;
                if (stopReason != StopReason.Completed && stepsThisEpoch == 0) break;

                model.eval();
                var (trainLoss, trainMetric) = head.Evaluate(model, trainEvalFeatures, trainEvalLabels, evaluationChunk);
                double? validationLoss = null, validationMetric = null;
                if (data.ValidationFeatures is not null)
                    (validationLoss, validationMetric) = head.Evaluate(model, data.ValidationFeatures, data.ValidationLabels!, evaluationChunk);

                var noiseReading = noise?.Current;
                var report = new EpochReport
                {
                    Epoch = epoch + 1,
                    PlannedEpochs = options.Epochs,
                    TrainLoss = trainLoss,
                    TrainMetric = trainMetric,
                    ValidationLoss = validationLoss,
                    ValidationMetric = validationMetric,
                    LearningRate = lastRate,
                    BatchSize = batch,
                    Steps = stepsThisEpoch,
                    SamplesPerSecond = Math.Min(rows, (long)stepsThisEpoch * batch) / Math.Max(trainSeconds, 1e-9),
                    Seconds = epochWatch.Elapsed.TotalSeconds,
                    GradientNoiseScale = noiseReading?.Scale,
                    GradientSquaredNorm = noiseReading?.SquaredNorm,
                    GradientVarianceTrace = noiseReading?.Trace,
                    NoiseScaleSteps = noise?.TakeEpochCount(),
                };
                epochs.Add(report);
                options.Progress?.Report(report);

                if (!double.IsFinite(trainLoss) || (validationLoss is { } vl && !double.IsFinite(vl)))
                {
                    stopReason = StopReason.Diverged;
                    notes.Add($"The loss became {trainLoss} at epoch {epoch + 1} (learning rate {lastRate:G4}); training stopped. Try a smaller learning rate or GradientClipNorm.");
                    break;
                }
                // Cancelled, or the observer's target or budget: the partial epoch is reported, then training ends.
                if (stopReason != StopReason.Completed) break;

                double monitored = validationLoss ?? trainLoss;
                if (monitored < bestLoss - options.EarlyStoppingMinDelta)
                {
                    bestLoss = monitored;
                    bestEpoch = epoch + 1;
                    epochsWithoutImprovement = 0;
                    if (earlyStopping && options.RestoreBestWeights) bestWeights = Snapshot(parameters, bestWeights);
                }
                else if (earlyStopping && ++epochsWithoutImprovement >= options.EarlyStoppingPatience)
                {
                    stopReason = StopReason.EarlyStopped;
                    break;
                }
            }

            // Without validation there is no better epoch to point at than the last one.
            if (validationRows == 0) bestEpoch = epochs.Count;
            if (earlyStopping && options.RestoreBestWeights && bestWeights != null && bestEpoch != epochs.Count && stopReason != StopReason.Diverged)
            {
                Restore(parameters, bestWeights);
                notes.Add($"Restored the weights of epoch {bestEpoch}, the best validation loss ({bestLoss:G5}).");
            }
        }
        finally
        {
            if (bestWeights != null) foreach (var t in bestWeights) t.Dispose();
        }

        var trainingReport = new TrainingReport
        {
            Task = head.Kind.ToString(),
            MetricName = head.MetricName,
            LossName = head.LossName,
            Epochs = epochs,
            BestEpoch = bestEpoch,
            StopReason = stopReason,
            TotalOptimizerSteps = step,
            RequestedBatchSize = options.BatchSize,
            BatchSize = batch,
            FullBatch = batch == rows,
            BaseLearningRate = options.LearningRate,
            ScaledLearningRate = plan.ScaledRate,
            LearningRateScaling = options.LearningRateScaling,
            ReferenceBatchSize = options.ReferenceBatchSize,
            Optimizer = options.Optimizer,
            TrainRows = rows,
            ValidationRows = validationRows,
            Device = device.ToString(),
            Seed = seed,
            ParameterCount = parameters.Sum(p => p.numel()),
            TotalSeconds = total.Elapsed.TotalSeconds,
            Notes = notes,
        };
        return new TrainingOutcome(trainingReport);
    }

    static optim.Optimizer CreateOptimizer(TorchTrainerOptions o, IEnumerable<Parameter> parameters, double rate) => o.Optimizer switch
    {
        OptimizerKind.Sgd => optim.SGD(parameters, rate, momentum: o.Momentum, weight_decay: o.WeightDecay, nesterov: o.Nesterov),
        OptimizerKind.Adam => optim.Adam(parameters, rate, weight_decay: o.WeightDecay),
        OptimizerKind.AdamW => optim.AdamW(parameters, rate, weight_decay: o.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(o.Optimizer), o.Optimizer, null),
    };

    static List<Tensor> Snapshot(List<Parameter> parameters, List<Tensor>? previous)
    {
        if (previous != null) foreach (var t in previous) t.Dispose();
        using var _ = no_grad();
        return parameters.Select(p => p.detach().clone()).ToList();
    }

    static void Restore(List<Parameter> parameters, List<Tensor> weights)
    {
        using var _ = no_grad();
        for (int i = 0; i < parameters.Count; i++) parameters[i].copy_(weights[i]);
    }
}
