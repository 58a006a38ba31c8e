namespace Pipelines.Torch.Training;

/// <summary>Training ended without a usable model (diverged or cancelled); <see cref="Report"/> keeps the history.</summary>
public sealed class TrainingStoppedException : Exception
{
    public TrainingReport Report { get; }

    public TrainingStoppedException(string message, TrainingReport report) : base(message) => Report = report;
}
