using System.Diagnostics;
using static TorchSharp.torch;

namespace Pipelines.Torch.NoiseScale;

/// <summary>
/// What the training loop holds when <see cref="TorchTrainerOptions.MeasureGradientNoiseScale"/> is on: it picks the
/// steps to measure, runs their backward pass in micro-batches and feeds the estimator. A step is measured when the
/// measured steps so far have taken at most <see cref="TorchTrainerOptions.NoiseScaleTimeShare"/> of the
/// optimization time, so the overhead stays under that share on any hardware and batch size (small batches, whose
/// steps are dominated by fixed costs, get measured more rarely). A share of 1 measures every step.
/// </summary>
internal sealed class NoiseScaleMeter
{
    readonly MicroBatchBackward _backward;
    readonly GradientNoiseScaleEstimator _estimator;
    readonly double _timeShare;
    double _measuredSeconds;

    NoiseScaleMeter(IEnumerable<Tensor> parameters, TorchTrainerOptions options)
    {
        _backward = new MicroBatchBackward(parameters, options.NoiseScaleMicroBatches);
        _estimator = new GradientNoiseScaleEstimator(options.NoiseScaleSmoothing);
        _timeShare = options.NoiseScaleTimeShare;
    }

    /// <summary>A meter when the options ask for one; null (nothing measured, nothing computed) otherwise.</summary>
    public static NoiseScaleMeter? For(TorchTrainerOptions options, IEnumerable<Tensor> parameters) =>
        options.MeasureGradientNoiseScale ? new NoiseScaleMeter(parameters, options) : null;

    /// <summary>Measured steps since <see cref="TakeEpochCount"/> was last called.</summary>
    public int MeasuredThisEpoch { get; private set; }

    public NoiseScaleReading? Current => _estimator.Current;

    /// <summary>Whether the next step, of <paramref name="rows"/> examples, is measured, given the optimization time so far.</summary>
    public bool ShouldMeasure(long rows, double optimizationSeconds) =>
        MicroBatchBackward.CanSplit(rows) && _measuredSeconds <= _timeShare * optimizationSeconds;

    /// <summary>
    /// The measured step's backward pass in micro-batches: records the norms and leaves their mean gradient in the
    /// parameters (the training loop then runs the step's ordinary backward pass, so measuring never changes the weights).
    /// </summary>
    public void Backward(Tensor features, Tensor labels, Func<Tensor, Tensor, Tensor> loss)
    {
        var watch = Stopwatch.StartNew();
        var norms = _backward.Backward(features, labels, loss);
        _estimator.Add(norms.SmallSquaredNorm, norms.SmallBatch, norms.BigSquaredNorm, norms.BigBatch);
        _measuredSeconds += watch.Elapsed.TotalSeconds;
        MeasuredThisEpoch++;
    }

    /// <summary>The measured steps of the epoch that just ended, and a fresh count for the next.</summary>
    public int TakeEpochCount()
    {
        int count = MeasuredThisEpoch;
        MeasuredThisEpoch = 0;
        return count;
    }
}
