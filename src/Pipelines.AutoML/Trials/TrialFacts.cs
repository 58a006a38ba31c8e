using System.Text.Json;
using System.Text.Json.Serialization;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.Storage;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Trials;

/// <summary>
/// A trial with what tables, the live display and the report read out of its parameters and attributes: the
/// trainer and its own parameters, its status in words, and for Torch trials the batch size, epochs run,
/// throughput, learning rates and training report. The one reader of trial records for every view of a study:
/// malformed attributes read as missing, since a view must never fail because one trial wrote something odd.
/// </summary>
public sealed class TrialFacts
{
    readonly Lazy<TrainingReport?> _report;
    readonly IReadOnlyDictionary<string, double?> _leaves;

    TrialFacts(TrialRecord trial)
    {
        Trial = trial;
        string? option = null;
        TrainerParameters = trial.Parameters;
        if (trial.Parameters.ContainsKey(OneOfSpace.OptionKey))
        {
            option = TryText(trial.Parameters[OneOfSpace.OptionKey]);
            TrainerParameters = trial.Parameters.ContainsKey(OneOfSpace.ParametersKey) ? trial.Parameters[OneOfSpace.ParametersKey] : null;
        }
        Trainer = trial.Trainer ?? option ?? "(unknown)";
        _leaves = ParameterValues.Flatten(TrainerParameters).GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.First().Number);
        _report = new Lazy<TrainingReport?>(() => ReadReport(trial));
    }

    public static TrialFacts From(TrialRecord trial) => new(trial ?? throw new ArgumentNullException(nameof(trial)));

    public TrialRecord Trial { get; }
    public string Trainer { get; }
    /// <summary>The chosen trainer's parameters (the "parameters" child of a one_of point), or the whole point.</summary>
    public Parameter? TrainerParameters { get; }
    /// <summary>A Torch trial's training report (read when first asked for).</summary>
    public TrainingReport? Report => _report.Value;

    /// <summary>completed, pruned, failed, diverged, running, interrupted (its process died) or cancelled (Ctrl+C, time budget).</summary>
    public string StatusName => Trial.Status switch
    {
        TrialStatus.Running => "running",
        TrialStatus.Completed => "completed",
        TrialStatus.Pruned => "pruned",
        TrialStatus.Diverged => "diverged",
        _ when Trial.Error == IStudyStorage.InterruptedError => "interrupted",
        _ when Trial.Error is IStudyStorage.CancelledError or IStudyStorage.BudgetError => "cancelled",
        _ => "failed",
    };

    /// <summary>The batch size used (capped at the training rows), else the one asked for.</summary>
    public int? BatchSize => Int(TrialAttributes.BatchSize) ?? Report?.BatchSize ?? (int?)Leaf(TorchCandidate.BatchSizeParameter);

    /// <summary>Epochs trained: as recorded at the end, else the last epoch reported so far.</summary>
    public int? EpochsRun => Int(TrialAttributes.EpochsRun) ?? Report?.Epochs.Count
        ?? (Trial.IntermediateValues.Count > 0 ? Trial.IntermediateValues[^1].Step : null);

    /// <summary>Mean training throughput over the epochs run.</summary>
    public double? SamplesPerSecond => Double(TrialAttributes.SamplesPerSecond)
        ?? (Report is { Epochs.Count: > 0 } report ? report.Epochs.Average(e => e.SamplesPerSecond) : null);

    /// <summary>A Torch trial's gradient noise scale B_simple at its last measured epoch.</summary>
    public double? GradientNoiseScale => Double(TrialAttributes.GradientNoiseScale)
        ?? Report?.Epochs.LastOrDefault(e => e.GradientNoiseScale is { } b && double.IsFinite(b))?.GradientNoiseScale;

    /// <summary>The learning rate used: the batch-scaled rate of Torch trials, else the sampled one.</summary>
    public double? LearningRate => Double(TrialAttributes.ScaledLearningRate) ?? Report?.ScaledLearningRate ?? SampledLearningRate;

    /// <summary>The "learning_rate" parameter as the tuner sampled it.</summary>
    public double? SampledLearningRate => Leaf(TorchCandidate.LearningRateParameter);

    public double? WeightDecay => Leaf(TorchCandidate.WeightDecayParameter);

    /// <summary>A trial of a trainer that works in batches and epochs (it has a batch size or a training report).</summary>
    public bool IsTorch => BatchSize != null || Report != null;

    double? Leaf(string name) => _leaves.TryGetValue(name, out var v) ? v : null;

    /// <summary>Also reads "NaN" and "Infinity" written as strings: a diverged trial's losses are not finite.</summary>
    static readonly JsonSerializerOptions Lenient = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    static TrainingReport? ReadReport(TrialRecord trial)
    {
        if (!trial.Attributes.TryGetValue(TrialAttributes.TrainingReport, out var json) || string.IsNullOrWhiteSpace(json)) return null;
        try { return TrainingReport.FromJson(json); }
        catch (Exception e) when (e is JsonException or NotSupportedException) { }
        try { return JsonSerializer.Deserialize<TrainingReport>(json, Lenient); }
        catch (Exception e) when (e is JsonException or NotSupportedException) { return null; }
    }

    static string? TryText(Parameter p)
    {
        try { return p.AsString(); }
        catch (InvalidOperationException) { return null; }
    }

    int? Int(string key) =>
        Trial.Attributes.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    double? Double(string key) =>
        Trial.Attributes.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
