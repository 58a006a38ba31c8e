using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Tuners;

namespace Pipelines.AutoML.Tests.Experiment;

/// <summary>Passes every call on to <paramref name="inner"/> and records it: proposals by the trial id asked for, and each result.</summary>
sealed class RecordingTuner(ITuner inner, List<(int TrialId, Parameter Parameter)>? proposals = null, List<TrialResult>? updates = null) : ITuner
{
    public Parameter Propose(TrialSettings settings)
    {
        var parameter = inner.Propose(settings);
        lock (this) proposals?.Add((settings.TrialId, parameter));
        return parameter;
    }

    public void Update(TrialResult result)
    {
        lock (this) updates?.Add(result);
        inner.Update(result);
    }
}
