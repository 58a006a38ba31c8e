using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.Torch.Training;

namespace Pipelines.Reports.Tests;

/// <summary>
/// Hand-made trial records shaped like the ones AutoMLExperiment stores: one_of parameters, and for Torch trials the
/// attributes it writes (training_report from a real <see cref="TrainingReport"/>, batch_size, epochs_run,
/// scaled_learning_rate, samples_per_second, seed).
/// </summary>
static class SyntheticStudy
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    public const string XssError = "TorchSharp failed: <script>alert('x')</script> & \"more\"";

    /// <summary>
    /// A training history whose validation accuracy climbs to <paramref name="finalValidation"/> at the planned last
    /// epoch and whose train accuracy ends <paramref name="gap"/> above it; throughput is constant.
    /// </summary>
    public static TrainingReport Report(int batchSize, int epochsRun, int plannedEpochs, double finalValidation, double gap,
        double samplesPerSecond, double learningRate, StopReason stop = StopReason.Completed)
    {
        var epochs = new List<EpochReport>();
        double full = 1 - Math.Exp(-3.0);
        for (int e = 1; e <= epochsRun; e++)
        {
            double progress = (1 - Math.Exp(-3.0 * e / plannedEpochs)) / full;
            double validation = 0.5 + (finalValidation - 0.5) * progress;
            double train = validation + gap * progress;
            epochs.Add(new EpochReport
            {
                Epoch = e, PlannedEpochs = plannedEpochs, TrainMetric = train, ValidationMetric = validation,
                TrainLoss = 0.05 + 0.7 * (1 - train), ValidationLoss = 0.05 + 0.7 * (1 - validation),
                LearningRate = learningRate, BatchSize = batchSize, Steps = (int)Math.Ceiling(800.0 / batchSize),
                SamplesPerSecond = samplesPerSecond, Seconds = 800 / samplesPerSecond + 0.02,
            });
        }
        return new TrainingReport
        {
            Task = "BinaryClassification", MetricName = "Accuracy", LossName = "LogLoss", Epochs = epochs,
            BestEpoch = epochsRun, StopReason = stop, TotalOptimizerSteps = epochs.Sum(e => (long)e.Steps),
            RequestedBatchSize = batchSize, BatchSize = batchSize, BaseLearningRate = learningRate, ScaledLearningRate = learningRate,
            ReferenceBatchSize = 32, Optimizer = OptimizerKind.Adam, TrainRows = 800, ValidationRows = 200, Device = "cpu",
            Seed = 1, ParameterCount = 4_500, TotalSeconds = epochs.Sum(e => e.Seconds),
        };
    }

    public static TrialRecord Torch(int id, int batchSize, double finalValidation, double gap, TrialStatus status = TrialStatus.Completed,
        int epochs = 20, int? epochsRun = null, double? samplesPerSecond = null, double learningRate = 1e-3, double weightDecay = 1e-5,
        string optimizer = "adam")
    {
        double speed = samplesPerSecond ?? 4000 * Math.Sqrt(batchSize / 16.0);
        var report = Report(batchSize, epochsRun ?? epochs, epochs, finalValidation, gap, speed, learningRate,
            status == TrialStatus.Pruned ? StopReason.Cancelled : StopReason.Completed);
        bool completed = status == TrialStatus.Completed;
        return new TrialRecord
        {
            Id = id,
            Status = status,
            Parameters = TorchParameters(batchSize, epochs, learningRate, weightDecay, optimizer),
            Trainer = "torch-mlp",
            IntermediateValues = report.Epochs.Select(e => new IntermediateValue(e.Epoch, e.ValidationMetric!.Value)).ToList(),
            Objective = completed ? finalValidation : null,
            ValidationMetric = completed ? finalValidation : null,
            TrainMetric = completed ? finalValidation + gap : null,
            GeneralizationGap = completed ? gap : null,
            Error = status == TrialStatus.Pruned ? "pruned" : null,
            StartedAt = Start.AddMinutes(id),
            FinishedAt = status == TrialStatus.Running ? null : Start.AddMinutes(id).AddSeconds(report.TotalSeconds),
            // Storage records a duration only when a trial finishes.
            DurationSeconds = status == TrialStatus.Running ? 0 : report.TotalSeconds,
            Attributes = status == TrialStatus.Running ? new Dictionary<string, string> { ["seed"] = Invariant(id) } : Attributes(report, id, report.ToJson()),
        };
    }

    public static Parameter TorchParameters(int batchSize, int epochs, double learningRate, double weightDecay, string optimizer) =>
        Parameter.FromNode(new JsonObject
        {
            ["option"] = "torch-mlp",
            ["parameters"] = new JsonObject
            {
                ["batch_size"] = batchSize, ["epochs"] = epochs, ["learning_rate"] = learningRate,
                ["weight_decay"] = weightDecay, ["optimizer"] = optimizer,
            },
        });

    /// <summary>The attributes AutoMLExperiment writes for a trial with a training report.</summary>
    public static Dictionary<string, string> Attributes(TrainingReport report, int seed, string reportJson) => new()
    {
        ["seed"] = Invariant(seed),
        ["training_report"] = reportJson,
        ["batch_size"] = Invariant(report.BatchSize),
        ["epochs_run"] = Invariant(report.Epochs.Count),
        ["scaled_learning_rate"] = report.ScaledLearningRate.ToString("R", CultureInfo.InvariantCulture),
        ["samples_per_second"] = report.Epochs.Average(e => e.SamplesPerSecond).ToString("R", CultureInfo.InvariantCulture),
    };

    public static TrialRecord FastTree(int id, double validation, double gap, int leaves = 20, double learningRate = 0.2) => new()
    {
        Id = id,
        Status = TrialStatus.Completed,
        Parameters = Parameter.FromNode(new JsonObject
        {
            ["option"] = "fasttree",
            ["parameters"] = new JsonObject { ["number_of_leaves"] = leaves, ["number_of_trees"] = 100, ["learning_rate"] = learningRate },
        }),
        Trainer = "fasttree",
        Objective = validation,
        ValidationMetric = validation,
        TrainMetric = validation + gap,
        GeneralizationGap = gap,
        StartedAt = Start.AddMinutes(id),
        FinishedAt = Start.AddMinutes(id).AddSeconds(3),
        DurationSeconds = 3,
        Attributes = new Dictionary<string, string> { ["seed"] = Invariant(id) },
    };

    /// <summary>A Torch trial that threw before its first epoch: no training report, only the parameters.</summary>
    public static TrialRecord Failed(int id, string error, int batchSize = 32) => new()
    {
        Id = id,
        Status = TrialStatus.Failed,
        Parameters = TorchParameters(batchSize, 20, 1e-3, 1e-5, "adam"),
        Trainer = "torch-mlp",
        Error = error,
        StartedAt = Start.AddMinutes(id),
        FinishedAt = Start.AddMinutes(id).AddSeconds(0.5),
        DurationSeconds = 0.5,
        Attributes = new Dictionary<string, string> { ["seed"] = Invariant(id) },
    };

    /// <summary>
    /// A Torch trial whose loss became NaN at its third epoch. TrainingReport.ToJson cannot write NaN, so the report is
    /// written the way a lenient writer would (named literals), which the report must still read.
    /// </summary>
    public static TrialRecord Diverged(int id, int batchSize = 16)
    {
        var report = Report(batchSize, 3, 20, 0.7, 0.0, 3000, 0.5, StopReason.Diverged);
        var epochs = report.Epochs.ToList();
        epochs[2] = epochs[2] with { TrainLoss = double.NaN, ValidationLoss = double.PositiveInfinity, ValidationMetric = double.NaN };
        report = report with { Epochs = epochs };
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals });
        return new TrialRecord
        {
            Id = id,
            Status = TrialStatus.Diverged,
            Parameters = TorchParameters(batchSize, 20, 0.5, 1e-5, "sgd"),
            Trainer = "torch-mlp",
            IntermediateValues = epochs.Take(2).Select(e => new IntermediateValue(e.Epoch, e.ValidationMetric!.Value)).ToList(),
            Error = "The loss became NaN at epoch 3 (learning rate 0.5); training stopped.",
            StartedAt = Start.AddMinutes(id),
            FinishedAt = Start.AddMinutes(id).AddSeconds(report.TotalSeconds),
            DurationSeconds = report.TotalSeconds,
            Attributes = Attributes(report, id, json),
        };
    }

    /// <summary>
    /// A study with every kind of trial: nine completed Torch trials over batch sizes 16-512 (best: #3 at 64), two
    /// pruned, two FastTree, one failed with markup in its error, one diverged and one still running.
    /// </summary>
    public static IReadOnlyList<TrialRecord> Mixed() => new[]
    {
        Torch(1, 16, 0.82, 0.01, learningRate: 3e-4),
        Torch(2, 32, 0.85, 0.02, learningRate: 1e-3),
        Torch(3, 64, 0.87, 0.03, learningRate: 2e-3),
        Torch(4, 128, 0.84, 0.05, learningRate: 3e-3),
        Torch(5, 256, 0.80, 0.08, learningRate: 5e-3),
        Torch(6, 512, 0.76, 0.12, learningRate: 1e-2),
        Torch(7, 64, 0.70, 0.02, TrialStatus.Pruned, epochsRun: 4),
        Torch(8, 1024, 0.65, 0.02, TrialStatus.Pruned, epochsRun: 2),
        FastTree(9, 0.83, 0.06, leaves: 20),
        FastTree(10, 0.81, 0.09, leaves: 64),
        Failed(11, XssError),
        Diverged(12),
        Torch(13, 128, 0.84, 0.05, TrialStatus.Running, epochsRun: 5),
        Torch(14, 32, 0.84, 0.02, learningRate: 2e-4, weightDecay: 1e-3),
        Torch(15, 128, 0.83, 0.06, learningRate: 1e-3, weightDecay: 1e-4),
        Torch(16, 16, 0.81, 0.01, learningRate: 5e-4, optimizer: "sgd"),
    };

    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["seed"] = "42", ["trainers"] = "torch-mlp, fasttree", ["tuner"] = "tpe", ["pruner"] = "median", ["budget"] = "600 s",
    };

    public static StudyReportInput Input(IReadOnlyList<TrialRecord> trials, OptimizationDirection direction = OptimizationDirection.Maximize,
        string metric = "Accuracy") => new()
    {
        Title = "breast-cancer.csv",
        Task = PredictionKind.BinaryClassification,
        MetricName = metric,
        Direction = direction,
        LabelColumn = "Label",
        Trials = trials,
        Elapsed = TimeSpan.FromSeconds(95),
        Settings = Settings,
        GeneratedAt = Start.AddHours(1),
    };

    static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
