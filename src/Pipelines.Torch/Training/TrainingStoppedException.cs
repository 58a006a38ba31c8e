namespace Pipelines.Torch.Training;

/// <summary>Training ended without a usable model (diverged or cancelled); <see cref="Report"/> keeps the history.</summary>
public sealed class TrainingStoppedException : Exception
{
    public TrainingReport Report { get; }

    public TrainingStoppedException(string message, TrainingReport report) : base(message) => Report = report;

    /// <summary>Throws (after disposing the network) when the run diverged or was cancelled.</summary>
    internal static void ThrowIfNoModel(TrainingReport report, IDisposable network)
    {
        if (report.StopReason is not (StopReason.Diverged or StopReason.Cancelled)) return;
        network.Dispose();
        throw new TrainingStoppedException(
            report.StopReason == StopReason.Diverged
                ? $"Training diverged: {report.Notes.Last()}"
                : $"Training was cancelled after {report.Epochs.Count} epoch(s).", report);
    }
}
