using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;

namespace Pipelines.AutoML.Tuners;

/// <summary>What a tuner is told about the trial it proposes for.</summary>
public sealed record TrialSettings(int TrialId);

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
