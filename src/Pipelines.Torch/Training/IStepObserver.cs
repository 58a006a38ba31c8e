using Pipelines.Torch.NoiseScale;

namespace Pipelines.Torch.Training;

/// <summary>Where a training run stands after a step: what <see cref="IStepObserver"/> sees.</summary>
/// <param name="Steps">Optimizer steps taken so far (0 before the first).</param>
/// <param name="Examples">Training examples those steps used.</param>
/// <param name="OptimizationSeconds">Time spent in optimizer steps so far: no evaluation, no observer.</param>
/// <param name="NoiseScale">The gradient noise scale's averages, when it is measured.</param>
internal readonly record struct StepProgress(long Steps, long Examples, double OptimizationSeconds, NoiseScaleReading? NoiseScale);

/// <summary>
/// Watches a training run step by step (the batch-size sweep's validation-loss target and time budget): called once
/// before the first step and after every step, with a way to measure the validation loss there (in eval mode, then
/// back to train mode). Its own time is left out of the run's optimization time.
/// </summary>
internal interface IStepObserver
{
    /// <summary>Returns the reason to stop after this step, or null to go on.</summary>
    StopReason? Observe(StepProgress progress, Func<double> validationLoss);
}
