namespace Pipelines.AutoML.Tuners;

/// <summary>
/// What a tuner is told about the trial it proposes for: the trial's id in the study (its result comes back under
/// the same id) and, under a time budget, the seconds left for it.
/// </summary>
public sealed record TrialSettings(int TrialId, double? SecondsLeft = null);

/// <summary>
/// The outcome a tuner learns from. <see cref="Loss"/> is the objective as a loss (smaller is better); failed
/// trials have an infinite loss. <see cref="DurationSeconds"/> is the trial's cost (used by cost-aware tuners).
/// </summary>
public sealed record TrialResult(int TrialId, Parameter Parameter, double Loss, double DurationSeconds, TrialStatus Status);

/// <summary>Proposes parameters and learns from results, as Microsoft's AutoML ITuner.</summary>
public interface ITuner
{
    Parameter Propose(TrialSettings settings);
    void Update(TrialResult result);
}

/// <summary>A tuner that knows what its trials cost and can say when none of them fits in the time left.</summary>
public interface IBudgetAwareTuner : ITuner
{
    /// <summary>Whether some trial it could propose is expected to finish within <paramref name="secondsLeft"/>.</summary>
    bool CanFit(double secondsLeft);
}
