namespace Pipelines.AutoML.Storage;

/// <summary>
/// The system-attribute keys under which <see cref="RdbStudyStorage"/> keeps what Optuna's schema has no column for
/// (docs/distributed.md lists them for Python readers). A trial's own attributes (<see cref="TrialRecord.Attributes"/>,
/// keys in <see cref="TrialAttributes"/>) are Optuna user attributes, each value a JSON string.
/// </summary>
public static class OptunaAttributes
{
    /// <summary>Study: the metric the study's objective is (Optuna knows only the direction).</summary>
    public const string MetricName = "pipelines:metric_name";

    /// <summary>Study: the search space JSON, as first written.</summary>
    public const string SearchSpace = "pipelines:search_space";

    /// <summary>Study: when it was created (ISO-8601, UTC, 100 ns).</summary>
    public const string CreatedAt = "pipelines:created_at";

    /// <summary>Trial: the sampled point as its exact JSON (trial_params is Optuna's flattened view of it).</summary>
    public const string Parameters = "pipelines:parameters";

    /// <summary>Trial: the trainer it ran.</summary>
    public const string Trainer = "pipelines:trainer";

    /// <summary>Trial: the validation metric (a JSON number; NaN and infinities as Python's json writes them).</summary>
    public const string ValidationMetric = "pipelines:validation_metric";

    /// <summary>Trial: the train metric.</summary>
    public const string TrainMetric = "pipelines:train_metric";

    /// <summary>Trial: train minus validation metric (validation minus train for losses).</summary>
    public const string GeneralizationGap = "pipelines:generalization_gap";

    /// <summary>Trial: the objective when it is NaN, which trial_values cannot hold (a number lives in trial_values).</summary>
    public const string NanObjective = "pipelines:objective";

    /// <summary>Trial: true on a trial that diverged (Optuna state FAIL).</summary>
    public const string Diverged = "pipelines:diverged";

    /// <summary>Trial: the exact start, finish and duration (Optuna's datetime columns keep microseconds).</summary>
    public const string StartedAt = "pipelines:started_at";

    public const string FinishedAt = "pipelines:finished_at";

    public const string DurationSeconds = "pipelines:duration_seconds";

    /// <summary>Trial: who runs it: {"id", "pid", "machine", "process_started_at"} (see <see cref="WorkerIdentity"/>).</summary>
    public const string Worker = "pipelines:worker";

    /// <summary>Trial: why it failed. Optuna's own key (its failed trials carry it too).</summary>
    public const string FailReason = "fail_reason";
}
