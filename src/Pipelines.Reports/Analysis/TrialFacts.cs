using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.Torch.Training;

namespace Pipelines.Reports.Analysis;

/// <summary>
/// A trial with what the report reads out of its parameters and attributes: the trainer, its own parameters, and for
/// Torch trials the training report, batch size, epochs run, throughput and learning rate. Malformed attributes read
/// as missing: a report must never fail because one trial wrote something odd.
/// </summary>
public sealed record TrialFacts
{
    public required TrialRecord Trial { get; init; }
    public required string Trainer { get; init; }
    /// <summary>The chosen trainer's parameters (the "parameters" child of a one_of point), or the whole point.</summary>
    public Parameter? TrainerParameters { get; init; }
    public TrainingReport? Report { get; init; }
    /// <summary>The batch size used (capped at the training rows), else the one asked for.</summary>
    public int? BatchSize { get; init; }
    public int? EpochsRun { get; init; }
    /// <summary>Mean training throughput over the epochs run.</summary>
    public double? SamplesPerSecond { get; init; }
    /// <summary>The learning rate used: the batch-scaled rate of Torch trials, else the "learning_rate" parameter.</summary>
    public double? LearningRate { get; init; }
    public double? WeightDecay { get; init; }

    /// <summary>A trial of a trainer that works in batches and epochs (it has a batch size or a training report).</summary>
    public bool IsTorch => BatchSize != null || Report != null;

    public static TrialFacts From(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var parameters = trial.Parameters;
        string? option = null;
        Parameter? own = parameters;
        if (parameters.ContainsKey(OneOfSpace.OptionKey))
        {
            option = TryText(parameters[OneOfSpace.OptionKey]);
            own = parameters.ContainsKey(OneOfSpace.ParametersKey) ? parameters[OneOfSpace.ParametersKey] : null;
        }
        var leaves = ParameterValues.Flatten(own).ToDictionary(v => v.Name, v => v.Number);
        double? Leaf(string name) => leaves.TryGetValue(name, out var v) ? v : null;

        var report = ReadReport(trial);
        return new TrialFacts
        {
            Trial = trial,
            Trainer = trial.Trainer ?? option ?? "(unknown)",
            TrainerParameters = own,
            Report = report,
            BatchSize = Int(trial, "batch_size") ?? report?.BatchSize ?? (int?)Leaf("batch_size"),
            EpochsRun = Int(trial, "epochs_run") ?? report?.Epochs.Count,
            SamplesPerSecond = Double(trial, "samples_per_second")
                ?? (report is { Epochs.Count: > 0 } ? report.Epochs.Average(e => e.SamplesPerSecond) : null),
            LearningRate = Double(trial, "scaled_learning_rate") ?? report?.ScaledLearningRate ?? Leaf("learning_rate"),
            WeightDecay = Leaf("weight_decay"),
        };
    }

    /// <summary>Also reads "NaN" and "Infinity" written as strings: a diverged trial's losses are not finite.</summary>
    static readonly JsonSerializerOptions Lenient = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    static TrainingReport? ReadReport(TrialRecord trial)
    {
        if (!trial.Attributes.TryGetValue("training_report", out var json) || string.IsNullOrWhiteSpace(json)) return null;
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

    static int? Int(TrialRecord trial, string key) =>
        trial.Attributes.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    static double? Double(TrialRecord trial, string key) =>
        trial.Attributes.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
