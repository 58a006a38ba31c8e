namespace Pipelines.AutoML.Trials;

/// <summary>
/// The keys of the attributes an experiment writes on its trials (<see cref="TrialRecord.Attributes"/>). Every
/// writer and reader names a key through these constants; docs/architecture.md lists what each value holds.
/// </summary>
public static class TrialAttributes
{
    /// <summary>The seed the trial's trainer ran with (a retrain of the trial uses it again).</summary>
    public const string Seed = "seed";

    /// <summary>A Torch trial's <c>TrainingReport</c> as JSON: every epoch's losses, metrics, gap and throughput.</summary>
    public const string TrainingReport = "training_report";

    /// <summary>The batch size a Torch trial trained with (the sampled one, capped at the training rows).</summary>
    public const string BatchSize = "batch_size";

    /// <summary>How many epochs a Torch trial trained before it completed, stopped early or was pruned.</summary>
    public const string EpochsRun = "epochs_run";

    /// <summary>The learning rate a Torch trial used after scaling the sampled one to its batch size.</summary>
    public const string ScaledLearningRate = "scaled_learning_rate";

    /// <summary>A Torch trial's mean training throughput over its epochs.</summary>
    public const string SamplesPerSecond = "samples_per_second";

    /// <summary>On a trial stopped from outside: the id of the trial that ran its parameters again.</summary>
    public const string RequeuedAs = "requeued_as";

    /// <summary>A Torch trial's gradient noise scale B_simple at its last epoch (McCandlish et al. 2018): the batch size past which a bigger batch buys little.</summary>
    public const string GradientNoiseScale = "gradient_noise_scale";

    /// <summary>How much of its trainer's fidelity parameter a trial used when it stopped early on the validation rows (LightGBM's rounds); a refit trains that much.</summary>
    public const string UsedFidelity = "used_fidelity";

    /// <summary>On an ensemble: its metric on the half of the validation rows it was not built on.</summary>
    public const string EnsembleHeldOutMetric = "ensemble_held_out_metric";

    /// <summary>
    /// On a trial a run returned instead of the best trial, that best trial's id: a trainer's defaults the best trial
    /// did not clearly beat (the one-standard-error rule), or an ensemble that won its held-out check without leading
    /// on the whole validation set. While that trial still leads the study, this one is its result (<see cref="ResultOf"/>).
    /// </summary>
    public const string ChosenOver = "chosen_over";

    /// <summary>Records that a run returned trial <paramref name="chosen"/> instead of the top trial <paramref name="over"/> (<see cref="ChosenOver"/>).</summary>
    public static void MarkChosenOver(Storage.IStudyStorage storage, int chosen, int over) =>
        storage.SetTrialAttribute(chosen, ChosenOver, over.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// The trial a study's run returned, from its trials ranked best first: the top one, or a default trial chosen over
    /// it (<see cref="ChosenOver"/>).
    /// </summary>
    public static TrialRecord? ResultOf(IReadOnlyList<TrialRecord> ranked)
    {
        var top = ranked.FirstOrDefault(t => t.Status == TrialStatus.Completed);
        if (top == null) return null;
        string id = top.Id.ToString(CultureInfo.InvariantCulture);
        return ranked.FirstOrDefault(t => t.Status == TrialStatus.Completed && t.Attributes.TryGetValue(ChosenOver, out var over) && over == id) ?? top;
    }
}
