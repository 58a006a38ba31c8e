using Pipelines.AutoML.Tuners;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// Records a finished trial (as Optuna's tell): its training details and final numbers go to the study, the tuner
/// learns from it under its trial id, the best trial and its model are kept, and the monitor hears of it. Called
/// from trial threads; everything that changes shared state happens under one lock.
/// </summary>
internal sealed class TellStep(StudySession session, ITuner tuner, object gate)
{
    readonly Dictionary<int, (ITransformer Model, TrainingReport? Report)> _models = new();
    readonly Dictionary<int, TrialRecord> _told = new();
    readonly Dictionary<int, double> _scoringSeconds = new();

    /// <summary>The best completed trial so far, including those of earlier runs of the study.</summary>
    public TrialRecord? Best { get; private set; }

    /// <summary>Starts from the best trial an earlier run of the study left.</summary>
    public void SeedBest(IEnumerable<TrialRecord> previous) =>
        // An earlier run's ensemble is not a configuration to train again: this run builds its own.
        Best = TrialRanking.Completed(previous, session.Direction).FirstOrDefault(t => t.Trainer != EnsembleOutcome.TrainerName);

    /// <summary>The fitted model of a trial that completed in this run, if it was kept.</summary>
    /// <summary>
    /// The trials as this run knows them without reading the study: <paramref name="previous"/> (an earlier run's)
    /// with those told in this run, in id order; what is left when the study can no longer be read.
    /// </summary>
    public IReadOnlyList<TrialRecord> KnownTrials(IEnumerable<TrialRecord> previous)
    {
        lock (gate) return previous.Where(t => !_told.ContainsKey(t.Id)).Concat(_told.Values).OrderBy(t => t.Id).ToList();
    }

    public bool TryGetModel(int trialId, out (ITransformer Model, TrainingReport? Report) model) => _models.TryGetValue(trialId, out model);

    public void Tell(int trialId, TrialOutcome outcome, double seconds)
    {
        var storage = session.Storage;
        if (outcome.Report != null) WriteReport(trialId, outcome.Report);
        if (outcome.UsedFidelity is { } used) storage.SetTrialAttribute(trialId, TrialAttributes.UsedFidelity, used.ToString(CultureInfo.InvariantCulture));
        storage.FinishTrial(trialId, outcome.Status, outcome.Objective, outcome.ValidationMetric, outcome.TrainMetric, outcome.Gap,
            outcome.Error, DateTimeOffset.UtcNow, seconds);
        var record = storage.GetTrial(trialId);
        lock (gate)
        {
            _told[trialId] = record;
            if (RequeuePolicy.Teaches(record)) tuner.Update(RequeuePolicy.ToResult(record, session.Direction));
            if (outcome.Status == TrialStatus.Completed) KeepModel(record, outcome);
        }
        switch (outcome.Status)
        {
            case TrialStatus.Completed: session.Monitor.ReportCompletedTrial(record); break;
            case TrialStatus.Pruned: session.Monitor.ReportPrunedTrial(record); break;
            default: session.Monitor.ReportFailTrial(record, outcome.Exception); break;
        }
    }

    /// <summary>
    /// What the final ensemble step is predicted to take: it scores each of its candidates (at most
    /// <paramref name="candidates"/> of the best trials) on the validation rows about four times, twice what a trial's
    /// own scoring of the validation rows and the train sample took.
    /// </summary>
    public double EnsembleStepSeconds(int candidates)
    {
        lock (gate)
            return 2 * TrialRanking.Completed(_told.Values.Where(t => _scoringSeconds.ContainsKey(t.Id)), session.Direction).Take(candidates).Sum(t => _scoringSeconds[t.Id]);
    }

    void KeepModel(TrialRecord record, TrialOutcome outcome)
    {
        _models[record.Id] = (outcome.Model!, outcome.Report);
        _scoringSeconds[record.Id] = outcome.ScoringSeconds;
        if (Best != null && !session.Direction.IsBetter(record.Objective!.Value, Best.Objective!.Value)) return;
        Best = record;
        session.Monitor.ReportBestTrial(record);
    }

    void WriteReport(int trialId, TrainingReport report)
    {
        var storage = session.Storage;
        storage.SetTrialAttribute(trialId, TrialAttributes.TrainingReport, report.ToJson());
        storage.SetTrialAttribute(trialId, TrialAttributes.BatchSize, report.BatchSize.ToString(CultureInfo.InvariantCulture));
        storage.SetTrialAttribute(trialId, TrialAttributes.EpochsRun, report.Epochs.Count.ToString(CultureInfo.InvariantCulture));
        storage.SetTrialAttribute(trialId, TrialAttributes.ScaledLearningRate, report.ScaledLearningRate.ToString("R", CultureInfo.InvariantCulture));
        if (report.Epochs.LastOrDefault(e => e.GradientNoiseScale is { } b && double.IsFinite(b))?.GradientNoiseScale is { } noise)
            storage.SetTrialAttribute(trialId, TrialAttributes.GradientNoiseScale, noise.ToString("R", CultureInfo.InvariantCulture));
        if (report.Epochs.Count > 0)
            storage.SetTrialAttribute(trialId, TrialAttributes.SamplesPerSecond,
                report.Epochs.Average(e => e.SamplesPerSecond).ToString("R", CultureInfo.InvariantCulture));
    }
}
