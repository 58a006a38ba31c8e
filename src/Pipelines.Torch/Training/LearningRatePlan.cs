namespace Pipelines.Torch.Training;

/// <summary>
/// The learning rate at every optimizer step: batch-size scaling, then the schedule, then linear warm-up.
/// Pure arithmetic, so it is tested without training anything.
/// </summary>
internal sealed class LearningRatePlan
{
    readonly TorchTrainerOptions _options;
    readonly int _stepsPerEpoch;
    readonly long _totalSteps;

    /// <summary>The peak rate: <see cref="TorchTrainerOptions.LearningRate"/> scaled to the batch size used.</summary>
    public double ScaledRate { get; }

    public LearningRatePlan(TorchTrainerOptions options, int batchSize, int stepsPerEpoch)
    {
        _options = options;
        _stepsPerEpoch = stepsPerEpoch;
        _totalSteps = (long)stepsPerEpoch * options.Epochs;
        ScaledRate = options.LearningRate * ScaleFactor(options.LearningRateScaling, batchSize, options.ReferenceBatchSize);
    }

    public static double ScaleFactor(LearningRateScaling scaling, int batchSize, int referenceBatchSize)
    {
        double k = (double)batchSize / referenceBatchSize;
        return scaling switch
        {
            LearningRateScaling.None => 1,
            LearningRateScaling.Linear => k,
            LearningRateScaling.SquareRoot => Math.Sqrt(k),
            _ => throw new ArgumentOutOfRangeException(nameof(scaling), scaling, null),
        };
    }

    /// <summary>The rate for global step <paramref name="step"/> (0-based) in epoch <paramref name="epoch"/> (0-based).</summary>
    public double At(int epoch, long step)
    {
        double progress = _totalSteps <= 1 ? 0 : (double)step / (_totalSteps - 1);
        double rate = _options.LearningRateSchedule switch
        {
            LearningRateSchedule.Constant => ScaledRate,
            LearningRateSchedule.Step => ScaledRate * Math.Pow(_options.StepGamma, epoch / _options.StepEpochs),
            LearningRateSchedule.Cosine => MinRate + (ScaledRate - MinRate) * 0.5 * (1 + Math.Cos(Math.PI * progress)),
            LearningRateSchedule.OneCycle => OneCycle(progress),
            _ => throw new ArgumentOutOfRangeException(),
        };
        long warmupSteps = (long)_options.WarmupEpochs * _stepsPerEpoch;
        if (step < warmupSteps) rate *= (step + 1.0) / warmupSteps;
        return rate;
    }

    double MinRate => _options.MinLearningRate * (ScaledRate / _options.LearningRate);

    // Smith & Topin's one-cycle as in PyTorch's OneCycleLR defaults: 30% up from peak/25, cosine down to peak/25e4.
    double OneCycle(double progress)
    {
        const double rise = 0.3, startDiv = 25, finalDiv = 25e4;
        double start = ScaledRate / startDiv, end = ScaledRate / finalDiv;
        if (progress <= rise) return Anneal(start, ScaledRate, progress / rise);
        return Anneal(ScaledRate, end, (progress - rise) / (1 - rise));
    }

    static double Anneal(double from, double to, double t) => to + (from - to) * 0.5 * (1 + Math.Cos(Math.PI * t));
}
