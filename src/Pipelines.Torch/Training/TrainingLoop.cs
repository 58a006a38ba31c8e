using System.Diagnostics;
using Pipelines.Torch.NoiseScale;
using Pipelines.Torch.Training.Optimizers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Torch.Training;

/// <summary>Tensors a training run uses, already on the device and standardized.</summary>
internal sealed record TrainingTensors(Tensor TrainFeatures, Tensor TrainLabels, Tensor? ValidationFeatures, Tensor? ValidationLabels);

/// <summary>The result of a run that produced a model (completed or stopped early).</summary>
internal sealed record TrainingOutcome(TrainingReport Report);

/// <summary>
/// The training loop shared by every Torch trainer. Per epoch: one shuffle (a permutation and one gather), then
/// contiguous <c>narrow</c> views per step inside a dispose scope (per-step overhead dominates small batches: see
/// docs/architecture.md, "The training loop"), then an eval-mode measurement of train and validation loss and metric.
/// One instance is one run; its fields are the run's state between epochs.
/// </summary>
internal sealed class TrainingLoop : IDisposable
{
    /// <summary>The train-side measurement uses a fixed sample at least this large (or the whole set if smaller).</summary>
    const int MinTrainEvaluationRows = 2048;

    readonly nn.Module<Tensor, Tensor> _model;
    readonly TaskHead _head;
    readonly TrainingTensors _data;
    readonly TorchTrainerOptions _options;
    readonly Generator _generator;
    readonly ImageAugmentation? _augmentation;
    readonly int _evaluationChunk;
    readonly IStepObserver? _observer;
    readonly int _rows, _validationRows, _batch;
    /// <summary>Measurements per epoch (<see cref="TorchTrainerOptions.CheckpointsPerEpoch"/>); 1 when nobody receives the ones inside it.</summary>
    readonly int _checkpoints;
    readonly LearningRatePlan _plan;
    readonly List<Parameter> _parameters;
    readonly WeightOptimizer _optimizer;
    readonly NoiseScaleMeter? _noise;
    readonly Tensor _trainEvalFeatures, _trainEvalLabels;
    readonly Func<double> _validationLoss;
    readonly bool _earlyStopping;
    readonly List<string> _notes = new();
    readonly List<EpochReport> _epochs = new();
    readonly Stopwatch _epochWatch = new();

    StopReason _stopReason = StopReason.Completed;
    long _step, _examples;
    double _bestLoss = double.PositiveInfinity;
    int _bestEpoch, _epochsWithoutImprovement;
    List<Tensor>? _bestWeights;
    double _lastRate;
    // Optimization time: the steps only, without the per-epoch evaluation or the observer's time.
    double _optimizationSeconds, _observerSeconds;

    public static TrainingOutcome Run(
        nn.Module<Tensor, Tensor> model, TaskHead head, TrainingTensors data, TorchTrainerOptions options,
        Device device, int seed, Generator generator, ImageAugmentation? augmentation = null, int evaluationChunk = 8192,
        IStepObserver? observer = null)
    {
        var total = Stopwatch.StartNew();
        using var loop = new TrainingLoop(model, head, data, options, device, generator, augmentation, evaluationChunk, observer);
        loop.Train();
        return new TrainingOutcome(loop.Report(device, seed, total.Elapsed.TotalSeconds));
    }

    TrainingLoop(nn.Module<Tensor, Tensor> model, TaskHead head, TrainingTensors data, TorchTrainerOptions options, Device device,
        Generator generator, ImageAugmentation? augmentation, int evaluationChunk, IStepObserver? observer)
    {
        (_model, _head, _data, _options, _generator, _augmentation, _evaluationChunk, _observer) =
            (model, head, data, options, generator, augmentation, evaluationChunk, observer);
        _rows = (int)data.TrainFeatures.shape[0];
        _validationRows = data.ValidationFeatures is null ? 0 : (int)data.ValidationFeatures.shape[0];
        _batch = Math.Min(options.BatchSize, _rows);
        _plan = new LearningRatePlan(options, _batch, (_rows + _batch - 1) / _batch);
        _lastRate = _plan.ScaledRate;
        if (options.BatchSize > _rows)
            _notes.Add($"Batch size {options.BatchSize} exceeds the {_rows} training rows: trained full-batch (batch size {_rows}).");
        _parameters = model.parameters().ToList();
        _optimizer = WeightOptimizer.Create(options, _parameters, _plan.ScaledRate);
        _noise = NoiseScaleMeter.For(options, _parameters);
        _earlyStopping = options.EarlyStoppingPatience > 0 && _validationRows > 0;
        (_trainEvalFeatures, _trainEvalLabels) = TrainEvaluationSample(device);
        _checkpoints = options.Checkpoints != null && _validationRows > 0 ? options.CheckpointsPerEpoch : 1;
        _validationLoss = data.ValidationFeatures is null ? () => throw new InvalidOperationException("This run has no validation rows.") : ValidationLoss;
    }

    /// <summary>A fixed sample of the training set for the train-side metric, the size of the validation set or larger.</summary>
    (Tensor Features, Tensor Labels) TrainEvaluationSample(Device device)
    {
        int trainEvalRows = Math.Min(_rows, Math.Max(_validationRows, MinTrainEvaluationRows));
        // Every intermediate tensor is disposed here: a leaked one waits for the finalizer with its native memory.
        using var permutation = randperm(_rows, generator: _generator);
        using var head = permutation.narrow(0, 0, trainEvalRows);
        using var index = head.to(device);
        return (_data.TrainFeatures.index_select(0, index), _data.TrainLabels.index_select(0, index));
    }

    void Train()
    {
        // The observer sees the untrained model too (step 0), and may stop there.
        if (_observer?.Observe(new StepProgress(0, 0, 0, null), _validationLoss) is { } stopBefore) _stopReason = stopBefore;
        for (int epoch = 0; epoch < _options.Epochs && _stopReason == StopReason.Completed; epoch++)
            if (!Epoch(epoch)) break;
        // Without validation there is no better epoch to point at than the last one.
        if (_validationRows == 0) _bestEpoch = _epochs.Count;
        if (_earlyStopping && _options.RestoreBestWeights && _bestWeights != null && _bestEpoch != _epochs.Count && _stopReason != StopReason.Diverged)
        {
            Restore(_parameters, _bestWeights);
            _notes.Add($"Restored the weights of epoch {_bestEpoch}, the best validation loss ({_bestLoss:G5}).");
        }
    }

    /// <summary>One epoch's steps, measurement and stopping rules; false when training ends after it.</summary>
    bool Epoch(int epoch)
    {
        _epochWatch.Restart();
        _observerSeconds = 0;
        int steps = Steps(epoch);
        double trainSeconds = _epochWatch.Elapsed.TotalSeconds - _observerSeconds;
        _optimizationSeconds += trainSeconds;
        if (_stopReason != StopReason.Completed && steps == 0) return false;

        var report = Measure(epoch, steps, trainSeconds);
        _epochs.Add(report);
        _options.Progress?.Report(report);
        if (!double.IsFinite(report.TrainLoss) || (report.ValidationLoss is { } vl && !double.IsFinite(vl)))
        {
            _stopReason = StopReason.Diverged;
            _notes.Add($"The loss became {report.TrainLoss} at epoch {epoch + 1} (learning rate {_lastRate:G4}); training stopped. Try a smaller learning rate or GradientClipNorm.");
            return false;
        }
        // Cancelled, or the observer's target or budget: the partial epoch is reported, then training ends.
        return _stopReason == StopReason.Completed && !EarlyStop(epoch, report.ValidationLoss ?? report.TrainLoss);
    }

    /// <summary>The optimizer steps of one epoch over a fresh shuffle; returns how many ran.</summary>
    int Steps(int epoch)
    {
        _model.train();
        int steps = 0;
        using var shuffle = randperm(_rows, generator: _generator).to(_data.TrainFeatures.device, disposeAfter: true);
        using var x = _data.TrainFeatures.index_select(0, shuffle);
        using var y = _data.TrainLabels.index_select(0, shuffle);
        int checkpoint = 1;
        for (int start = 0; start < _rows; start += _batch)
        {
            if (_options.CancellationToken.IsCancellationRequested) { _stopReason = StopReason.Cancelled; break; }
            _lastRate = _plan.At(epoch, _step);
            _optimizer.LearningRate = _lastRate;
            int n = Math.Min(_batch, _rows - start);
            using (NewDisposeScope()) Step(x.narrow(0, start, n), y.narrow(0, start, n), n);
            steps++;
            if (Observe() is { } reason) { _stopReason = reason; break; }
            for (; checkpoint < _checkpoints && start + n >= (long)checkpoint * _rows / _checkpoints; checkpoint++) Checkpoint(epoch, checkpoint);
        }
        return steps;
    }

    /// <summary>The validation measurement at checkpoint <paramref name="k"/> inside an epoch; its time is left out of the optimization time.</summary>
    void Checkpoint(int epoch, int k)
    {
        var before = _epochWatch.Elapsed;
        _model.eval();
        try
        {
            var (loss, metric) = _head.Evaluate(_model, _data.ValidationFeatures!, _data.ValidationLabels!, _evaluationChunk);
            _options.Checkpoints!.Report(new CheckpointReport(epoch + 1, (long)epoch * _rows + (long)k * _rows / _checkpoints, loss, metric));
        }
        finally
        {
            _model.train();
            _observerSeconds += (_epochWatch.Elapsed - before).TotalSeconds;
        }
    }

    void Step(Tensor features, Tensor labels, int n)
    {
        if (_augmentation is { IsActive: true }) features = _augmentation.Apply(features);
        _optimizer.ZeroGrad();
        if (_noise != null && _noise.ShouldMeasure(n, OptimizationSoFar()))
        {
            // Which steps are measured depends on timing; the weights must not. The measurement draws its micro-batches'
            // dropout masks, so the generator goes back to where it was, and the step then trains as an unmeasured one.
            using var state = _generator.get_state();
            _noise.Backward(features, labels, (f, l) => _head.Loss(_model.forward(f), l));
            _generator.set_state(state);
            _optimizer.ZeroGrad();
        }
        _head.Loss(_model.forward(features), labels).backward();
        if (_options.GradientClipNorm is { } clip) nn.utils.clip_grad_norm_(_parameters, clip);
        _optimizer.Step();
        _step++;
        _examples += n;
    }

    /// <summary>The observer's verdict after a step; its own time is left out of the optimization time.</summary>
    StopReason? Observe()
    {
        if (_observer == null) return null;
        var before = _epochWatch.Elapsed;
        var stop = _observer.Observe(new StepProgress(_step, _examples, OptimizationSoFar(), _noise?.Current), _validationLoss);
        _observerSeconds += (_epochWatch.Elapsed - before).TotalSeconds;
        return stop;
    }

    double OptimizationSoFar() => _optimizationSeconds + _epochWatch.Elapsed.TotalSeconds - _observerSeconds;

    double ValidationLoss()
    {
        _model.eval();
        try { return _head.Evaluate(_model, _data.ValidationFeatures!, _data.ValidationLabels!, _evaluationChunk).Loss; }
        finally { _model.train(); }
    }

    /// <summary>Train and validation loss and metric in eval mode after the epoch, with its throughput and noise scale.</summary>
    EpochReport Measure(int epoch, int steps, double trainSeconds)
    {
        _model.eval();
        var (trainLoss, trainMetric) = _head.Evaluate(_model, _trainEvalFeatures, _trainEvalLabels, _evaluationChunk);
        double? validationLoss = null, validationMetric = null;
        if (_data.ValidationFeatures is not null)
            (validationLoss, validationMetric) = _head.Evaluate(_model, _data.ValidationFeatures, _data.ValidationLabels!, _evaluationChunk);
        var noise = _noise?.Current;
        return new EpochReport
        {
            Epoch = epoch + 1,
            PlannedEpochs = _options.Epochs,
            Examples = _examples,
            TrainLoss = trainLoss,
            TrainMetric = trainMetric,
            ValidationLoss = validationLoss,
            ValidationMetric = validationMetric,
            LearningRate = _lastRate,
            BatchSize = _batch,
            Steps = steps,
            SamplesPerSecond = Math.Min(_rows, (long)steps * _batch) / Math.Max(trainSeconds, 1e-9),
            Seconds = _epochWatch.Elapsed.TotalSeconds,
            GradientNoiseScale = noise?.Scale,
            GradientSquaredNorm = noise?.SquaredNorm,
            GradientVarianceTrace = noise?.Trace,
            NoiseScaleSteps = _noise?.TakeEpochCount(),
        };
    }

    /// <summary>Keeps the best epoch (and its weights when they are to be restored); true when patience has run out.</summary>
    bool EarlyStop(int epoch, double monitored)
    {
        if (monitored < _bestLoss - _options.EarlyStoppingMinDelta)
        {
            _bestLoss = monitored;
            _bestEpoch = epoch + 1;
            _epochsWithoutImprovement = 0;
            if (_earlyStopping && _options.RestoreBestWeights) _bestWeights = Snapshot(_parameters, _bestWeights);
            return false;
        }
        if (!_earlyStopping || ++_epochsWithoutImprovement < _options.EarlyStoppingPatience) return false;
        _stopReason = StopReason.EarlyStopped;
        return true;
    }

    TrainingReport Report(Device device, int seed, double totalSeconds) => new()
    {
        Task = _head.Kind.ToString(),
        MetricName = _head.MetricName,
        LossName = _head.LossName,
        Epochs = _epochs,
        BestEpoch = _bestEpoch,
        StopReason = _stopReason,
        TotalOptimizerSteps = _step,
        RequestedBatchSize = _options.BatchSize,
        BatchSize = _batch,
        FullBatch = _batch == _rows,
        BaseLearningRate = _options.LearningRate,
        ScaledLearningRate = _plan.ScaledRate,
        LearningRateScaling = _options.LearningRateScaling,
        ReferenceBatchSize = _options.ReferenceBatchSize,
        Optimizer = _options.Optimizer,
        TrainRows = _rows,
        ValidationRows = _validationRows,
        Device = device.ToString(),
        Seed = seed,
        ParameterCount = _parameters.Sum(p => p.numel()),
        TotalSeconds = totalSeconds,
        Notes = _notes,
    };

    public void Dispose()
    {
        if (_bestWeights != null) foreach (var t in _bestWeights) t.Dispose();
        _trainEvalFeatures.Dispose();
        _trainEvalLabels.Dispose();
        _optimizer.Dispose();
    }

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
