using System.Globalization;
using System.Runtime.InteropServices;
using Pipelines.Bench;
using Pipelines.Torch.Runtime;
using Pipelines.Torch.Trainers;

// dotnet run -c Release --project bench/Pipelines.Bench -- throughput [--quick] [--out PATH]
//     [--datasets synthetic,adult] [--batch-sizes 16,32,...] [--rounds N] [--seconds S] [--threads N] [--self-check] [--noise-scale]
// --self-check puts the hand-written loop in the trainer's place (an A/A run) to show the noise floor of the ratios.
// --noise-scale compares the trainer with MeasureGradientNoiseScale on against the trainer with it off (its overhead).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length > 0 && args[0] == "tuning") return RunTuning(args);
if (args.Length > 0 && args[0] == "tuning-report") return TuningReport(args);
if (args.Length > 0 && args[0] == "tuning-repeat") return TuningRepeat(args);
if (args.Length > 0 && args[0] == "images") return RunImages(args);
if (args.Length > 0 && args[0] == "quality") return RunQuality(args);
if (args.Length > 0 && args[0] == "turnover") return RunTurnover(args);
if (args.Length > 0 && args[0] == "storage") return RunStorage(args);
if (args.Length == 4 && args[0] == "storage-worker")
    return StorageBenchmark.Work(args[1], int.Parse(args[2]), double.Parse(args[3], CultureInfo.InvariantCulture));
if (args.Length > 1 && args[0] == "batch-size" && args[1] == "sweep") return RunBatchSizeSweep(args);
if (args.Length > 1 && args[0] == "batch-size" && args[1] == "blobs") return RunBlobs(args);
if (args.Length == 0 || args[0] != "throughput")
{
    Console.Error.WriteLine("usage: Pipelines.Bench throughput [--quick] [--out PATH] [--datasets synthetic,adult] " +
                            "[--batch-sizes 16,32,...] [--rounds N] [--seconds S] [--threads N] [--self-check] [--noise-scale]\n" +
                            "       Pipelines.Bench tuning [--budget S] [--seeds N] [--first-seed N] [--datasets adult,fashion-mnist] [--methods random,tpe[-mv][-cost[BETA]]+asha,...] " +
                            "[--rows N] [--validation-rows N] [--min-epochs N] [--out PATH] [--curves PATH.csv] [--trials PATH.csv]\n" +
                            "       Pipelines.Bench tuning-report --curves A.csv[,B.csv...] [--tolerance D] [--out PATH]\n" +
                            "       Pipelines.Bench tuning-repeat --trials PATH.csv [--repeats N] [--rows N] [--validation-rows N] [--out PATH]\n" +
                            "       Pipelines.Bench images [--batch-sizes 32,128,512] [--epochs 5] [--train-rows N] [--architecture SmallCnn|ResNet] " +
                            "[--width 32] [--depth 2] [--lr 0.001] [--threads N] [--data DIR] [--out PATH]\n" +
                            "       Pipelines.Bench batch-size sweep --dataset adult|fashion-mnist --out DIR [--rows N] [--validation-rows N] [--batch-sizes 16,32,...] " +
                            "[--hidden 128,128] [--optimizer adam|sgd] [--lr X] [--reference B] [--scaling rule|fixed|linear|sqrt] [--search 0.5,1,2] [--target LOSS] " +
                            "[--epochs N] [--match-steps] [--plateau F|none] [--train-time S] [--seed N] [--threads N]\n" +
                            "       Pipelines.Bench batch-size blobs [--seeds N] [--epochs 200] [--out PATH]\n" +
                            "       Pipelines.Bench turnover [--rows 6000] [--trials 12]\n" +
                            "       Pipelines.Bench storage --url postgresql://USER@HOST:PORT/DB [--workers 16] [--trials 2000] [--trial-seconds 0.1]\n" +
                            "       Pipelines.Bench quality [--datasets adult,digits,concrete,fashion-mnist] [--budgets 30,120,300] [--seeds 1,2,3] [--fashion-rows N] [--refit] [--engines-only] [--trials] [--out PATH]");
    return 2;
}

bool quick = args.Contains("--quick");
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
int[]? Ints(string name) => Option(name)?.Split(',').Select(int.Parse).ToArray();

var settings = new ThroughputSettings
{
    BatchSizes = Ints("--batch-sizes") ?? (quick ? new[] { 32, 1024 } : new[] { 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 }),
    Rounds = Option("--rounds") is { } r ? int.Parse(r) : quick ? 2 : 4,
    SecondsPerRound = Option("--seconds") is { } sec ? double.Parse(sec) : quick ? 0.5 : 1.5,
    MinEpochs = quick ? 2 : 3,
    QuietWait = TimeSpan.FromSeconds(quick ? 5 : 15),
    Attempts = quick ? 1 : 3,
    Threads = Option("--threads") is { } t ? int.Parse(t) : 1,
    SelfCheck = args.Contains("--self-check"),
    NoiseScale = args.Contains("--noise-scale"),
};

string root = FindRepositoryRoot();
var wanted = (Option("--datasets") ?? "synthetic,adult").Split(',');
var datasets = wanted.Select(name => name switch
{
    "synthetic" => SyntheticData.Create(),
    "adult" => BenchDataset.Adult(Path.Combine(root, "datasets", "adult.csv")),
    _ => throw new ArgumentException($"Unknown dataset '{name}' (expected synthetic or adult)."),
}).ToList();

TorchRuntime.EnsureInitialized();
var header =
    (settings.SelfCheck ? "SELF-CHECK (A/A): the hand-written loop stands in for the trainer. " : "") +
    (settings.NoiseScale ? $"NOISE-SCALE OVERHEAD: TorchMlp with MeasureGradientNoiseScale on (defaults: {new TorchMlpTrainer.Options().NoiseScaleMicroBatches} micro-batches, " +
                           $"time share {new TorchMlpTrainer.Options().NoiseScaleTimeShare:P0}) against TorchMlp with it off, in place of the hand-written loop. " : "") +
    $"Training throughput, TorchMlp (public ML.NET API) vs a hand-written TorchSharp loop. " +
    $"MLP hidden [{string.Join(", ", settings.Hidden)}], Adam lr {settings.LearningRate}, CPU, {settings.Threads} LibTorch thread(s), " +
    $"trainer ValidationFraction = 0; median epoch samples/s over {settings.Rounds} alternating rounds after a warm-up, " +
    $"using the rounds in which other processes took at most {settings.MaxOthersShare:P0} of the machine (all rounds if none did).\n" +
    $"Machine: {Environment.ProcessorCount} logical CPUs, {CpuModel()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}. " +
    $"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";
Console.WriteLine(header);
Console.WriteLine();

var rows = ThroughputBenchmark.Run(datasets, settings, Console.Out);
double target = settings.NoiseScale ? 0.95 : 0.9;
var table = ThroughputBenchmark.ToMarkdown(rows, target, settings.Sides);
Console.WriteLine();
Console.Write(table);
var worst = rows.MinBy(x => x.Ratio)!;
var verdict = $"Target ({settings.Sides.Measured} within {1 - target:P0} of {settings.Sides.Reference} at every batch size): {(rows.All(x => x.Ratio >= target) ? "met" : "NOT met")}; " +
              $"lowest ratio {worst.Ratio:F3} ({worst.Dataset}, batch {worst.BatchSize}).";
Console.WriteLine(verdict);

if (Option("--out") is { } outPath)
{
    File.WriteAllText(outPath, header + "\n\n" + table + "\n" + verdict + "\n");
    Console.WriteLine($"Wrote {Path.GetFullPath(outPath)}");
}
return 0;

// dotnet run -c Release --project bench/Pipelines.Bench -- tuning [--budget S] [--seeds N] [--first-seed N] [--datasets adult,fashion-mnist]
//     [--methods random,tpe[-mv][-cost[BETA]]+asha,...] [--rows N (training rows)] [--validation-rows N (the next rows, for validation)]
//     [--min-epochs N (ASHA's first rung)] [--out PATH] [--curves PATH.csv (every run's best-so-far curve)]
//     [--trials PATH.csv (every trial: parameters, status, wall time and training-loop time)]
static int RunTuning(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    double budget = double.Parse(Option("--budget") ?? "90");
    int seeds = int.Parse(Option("--seeds") ?? "3");
    int minResource = int.Parse(Option("--min-epochs") ?? "1");
    int trainRows = int.Parse(Option("--rows") ?? "6000");
    int validationRows = int.Parse(Option("--validation-rows") ?? "6000");
    int firstSeed = int.Parse(Option("--first-seed") ?? "1");
    var methods = (Option("--methods") ?? "random,tpe+asha,tpe-cost0.5+asha").Split(',');
    // Random search sets each seed's target; without it the runs are only saved, to be pooled by tuning-report with
    // a curves file that has random search's runs of the same seeds.
    if (!methods.Contains("random") && Option("--curves") == null)
        throw new ArgumentException("--methods must include random, which sets each seed's target, unless --curves saves the runs for tuning-report.");
    foreach (var m in methods) TuningBenchmark.Method(m, 1);
    string root = FindRepositoryRoot();
    var ml = new Microsoft.ML.MLContext(1);
    var datasets = (Option("--datasets") ?? "adult,fashion-mnist").Split(',').Select(name => TuningDataset(name, ml, root, trainRows, validationRows)).ToList();
    TorchRuntime.EnsureInitialized();
    var header = $"Tuner efficiency: {string.Join(", ", methods.Where(m => m != "random"))} vs random search without pruning, TorchMlp only, {budget:F0} s wall clock per run, " +
                 $"seeds {firstSeed} to {firstSeed + seeds - 1}, ASHA's first rung at epoch {minResource}. {trainRows:N0} training rows and the next {validationRows:N0} " +
                 $"for validation; adult: shuffled once, inferred columns, one-hot featurization, binary accuracy; fashion-mnist: the training file's images " +
                 $"(flattened 784 pixels), micro-accuracy. " +
                 $"Machine: {Environment.ProcessorCount} logical CPUs, {CpuModel()}. Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";
    Console.WriteLine(header);
    var runs = new List<TuningBenchmark.Run>();
    foreach (var d in datasets)
        for (int seed = firstSeed; seed < firstSeed + seeds; seed++)
            foreach (var method in methods)
            {
                var run = TuningBenchmark.RunOne(d, method, seed, budget, minResource);
                Console.WriteLine($"{d.Name} seed {seed} {method}: {run.Trials} trials ({run.Pruned} pruned), best {(run.Curve.Count > 0 ? run.Curve[^1].Best : double.NaN):F4}");
                runs.Add(run);
            }
    var table = methods.Contains("random") ? TuningBenchmark.ToMarkdown(runs) : "No random search in --methods: pool these curves with tuning-report.";
    Console.WriteLine(table);
    if (Option("--out") is { } outPath) File.WriteAllText(outPath, header + "\n\n" + table);
    if (Option("--curves") is { } curvesPath) TuningBenchmark.WriteCurves(curvesPath, runs);
    if (Option("--trials") is { } trialsPath) TuningBenchmark.WriteTrials(trialsPath, runs);
    return 0;
}

// The tuning benchmark's data sets by name: the first trainRows rows for training, the next validationRows for validation.
static TuningBenchmark.Dataset TuningDataset(string name, Microsoft.ML.MLContext ml, string root, int trainRows, int validationRows) => name switch
{
    "adult" => TuningBenchmark.Adult(ml, Path.Combine(root, "datasets", "adult.csv"), trainRows, validationRows),
    "fashion-mnist" => TuningBenchmark.FashionMnist(ml, Path.Combine(root, "..", "shared", "datasets", "fashion-mnist"), trainRows, validationRows),
    _ => throw new ArgumentException($"Unknown dataset '{name}' (expected adult or fashion-mnist)."),
};

// dotnet run -c Release --project bench/Pipelines.Bench -- tuning-repeat --trials PATH.csv [--repeats N] [--rows N] [--validation-rows N] [--out PATH]
// Takes each random-search run's best trial from a --trials file and trains that configuration again N times with
// fresh trial seeds: how often does the same configuration reach the run's best again? (Is the best skill or luck?)
static int TuningRepeat(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    string trialsPath = Option("--trials") ?? throw new ArgumentException("tuning-repeat needs --trials FILE (written by tuning --trials).");
    int repeats = int.Parse(Option("--repeats") ?? "10");
    int trainRows = int.Parse(Option("--rows") ?? "6000");
    int validationRows = int.Parse(Option("--validation-rows") ?? "6000");
    var lines = File.ReadAllLines(trialsPath);
    var header = lines[0].Split(',');
    var rows = lines.Skip(1).Select(l => l.Split(',')).Select(c => header.Zip(c).ToDictionary(p => p.First, p => p.Second)).ToList();
    var winners = rows.Where(r => r["method"] == "random" && r["status"] == "Completed")
        .GroupBy(r => (Dataset: r["dataset"], Seed: r["seed"]))
        .Select(g => g.MaxBy(r => double.Parse(r["validation_metric"]))!).ToList();
    string root = FindRepositoryRoot();
    var ml = new Microsoft.ML.MLContext(1);
    var datasets = new Dictionary<string, TuningBenchmark.Dataset>();
    TuningBenchmark.Dataset Load(string name) => datasets.TryGetValue(name, out var d) ? d : datasets[name] = TuningDataset(name, ml, root, trainRows, validationRows);
    TorchRuntime.EnsureInitialized();
    var report = new System.Text.StringBuilder();
    report.AppendLine($"Each random-search run's best configuration (from {trialsPath}) trained {repeats} more times with fresh trial seeds.");
    report.AppendLine();
    report.AppendLine("| dataset | seed | run's best | repeats: mean | sd | min | max | repeats reaching the run's best |");
    report.AppendLine("|---|---|---|---|---|---|---|---|");
    foreach (var w in winners)
    {
        var keys = new[] { "batch_size", "epochs", "learning_rate", "weight_decay", "width", "depth" };
        var parameters = keys.Where(k => w[k].Length > 0).ToDictionary(k => k, k => double.Parse(w[k]));
        double best = double.Parse(w["validation_metric"]);
        var values = TuningBenchmark.Repeat(Load(w["dataset"]), parameters, repeats, seed: 1000 + int.Parse(w["seed"]));
        double mean = values.Average(), sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Count - 1));
        string line = $"| {w["dataset"]} | {w["seed"]} | {best:F4} | {mean:F4} | {sd:F4} | {values.Min():F4} | {values.Max():F4} | {values.Count(v => v >= best - 1e-12)} of {values.Count} |";
        Console.WriteLine(line);
        report.AppendLine(line);
    }
    Console.WriteLine(report);
    if (Option("--out") is { } outPath) File.WriteAllText(outPath, report.ToString());
    return 0;
}

// dotnet run -c Release --project bench/Pipelines.Bench -- tuning-report --curves A.csv[,B.csv...] [--tolerance D] [--out PATH]
// Recomputes the tuning report from saved curves, pooling the seeds of several runs (same datasets and budget).
// --tolerance D: a method counts as having reached random search's final best once within D of it.
static int TuningReport(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    var files = (Option("--curves") ?? throw new ArgumentException("tuning-report needs --curves FILE[,FILE...].")).Split(',');
    var runs = files.SelectMany(TuningBenchmark.ReadCurves).ToList();
    var duplicate = runs.GroupBy(r => (r.Dataset, r.Method, r.Seed)).FirstOrDefault(g => g.Count() > 1);
    if (duplicate != null) throw new ArgumentException($"Seed {duplicate.Key.Seed} of {duplicate.Key.Method} on {duplicate.Key.Dataset} is in more than one curves file.");
    double tolerance = double.Parse(Option("--tolerance") ?? "0", CultureInfo.InvariantCulture);
    var table = TuningBenchmark.ToMarkdown(runs, tolerance);
    Console.WriteLine(table);
    if (Option("--out") is { } outPath) File.WriteAllText(outPath, $"From {string.Join(", ", files)}.\n\n" + table);
    return 0;
}

// dotnet run -c Release --project bench/Pipelines.Bench -- images [--batch-sizes 32,128,512] [--epochs 5] [--train-rows N]
//     [--architecture SmallCnn|ResNet] [--width 32] [--depth 2] [--lr 0.001] [--threads N] [--data DIR] [--out PATH]
static int RunImages(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    string root = FindRepositoryRoot();
    var settings = new ImageBenchmark.Settings(
        BatchSizes: (Option("--batch-sizes") ?? "32,128,512").Split(',').Select(int.Parse).ToArray(),
        Epochs: int.Parse(Option("--epochs") ?? "5"),
        TrainRows: int.Parse(Option("--train-rows") ?? "60000"),
        Architecture: Enum.Parse<Pipelines.Torch.Networks.ImageArchitecture>(Option("--architecture") ?? "SmallCnn", ignoreCase: true),
        Width: int.Parse(Option("--width") ?? "32"),
        Depth: int.Parse(Option("--depth") ?? "2"),
        LearningRate: double.Parse(Option("--lr") ?? "0.001"),
        ReferenceBatchSize: 64,
        Scaling: Pipelines.Torch.Training.LearningRateScaling.SquareRoot,
        Threads: Option("--threads") is { } t ? int.Parse(t) : null);
    string folder = Option("--data") ?? Path.Combine(root, "..", "shared", "datasets", "fashion-mnist");
    TorchRuntime.EnsureInitialized();
    var header = $"Image classifier on Fashion-MNIST: {settings.TrainRows:N0} training images, the 10,000 test images, " +
                 $"{settings.Architecture} width {settings.Width} depth {settings.Depth}, Adam, learning rate {settings.LearningRate} at batch " +
                 $"{settings.ReferenceBatchSize} scaled by the square root of batch / {settings.ReferenceBatchSize}, {settings.Epochs} epochs, " +
                 $"no augmentation, no validation split, CPU, {(settings.Threads is { } n ? $"{n} LibTorch thread(s)" : "LibTorch's default threads")}. " +
                 $"Public API: Fit, then Transform and Evaluate on the test set. " +
                 $"Machine: {Environment.ProcessorCount} logical CPUs, {CpuModel()}. Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";
    Console.WriteLine(header);
    var rows = ImageBenchmark.Run(folder, settings, Console.Out);
    var table = ImageBenchmark.ToMarkdown(rows);
    var best = rows.MaxBy(r => r.TestAccuracy)!;
    var verdict = $"Target (test accuracy >= 0.90 with the small CNN on the CPU): {(best.TestAccuracy >= 0.90 ? "met" : "NOT met")}; " +
                  $"best {best.TestAccuracy:F4} at batch {best.BatchSize}.";
    Console.WriteLine(table);
    Console.WriteLine(verdict);
    if (Option("--out") is { } outPath) File.WriteAllText(outPath, header + "\n\n" + table + "\n" + verdict + "\n");
    return 0;
}

// dotnet run -c Release --project bench/Pipelines.Bench -- batch-size sweep --dataset adult|fashion-mnist --out DIR [...]
// One BatchSizeSweep through the library; writes batch-size.csv, batch-size.json, report.html, plots/ and summary.md to DIR.
static int RunBatchSizeSweep(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    int[]? Ints(string name) => Option(name)?.Split(',').Select(int.Parse).ToArray();
    var settings = new BatchSizeExperiment.Settings
    {
        Dataset = Option("--dataset") ?? throw new ArgumentException("batch-size sweep needs --dataset adult|fashion-mnist."),
        Output = Option("--out") ?? throw new ArgumentException("batch-size sweep needs --out DIR."),
        TrainRows = int.Parse(Option("--rows") ?? "8000"),
        ValidationRows = int.Parse(Option("--validation-rows") ?? "4000"),
        BatchSizes = Ints("--batch-sizes") ?? new[] { 16, 32, 64, 128, 256, 512, 1024, 2048 },
        Hidden = Ints("--hidden") ?? new[] { 128, 128 },
        Optimizer = Enum.Parse<Pipelines.Torch.Training.OptimizerKind>(Option("--optimizer") ?? "adam", ignoreCase: true),
        LearningRate = double.Parse(Option("--lr") ?? "0.001"),
        ReferenceBatchSize = int.Parse(Option("--reference") ?? "32"),
        Scaling = (Option("--scaling") ?? "rule") switch
        {
            "rule" or "fixed" => Pipelines.Torch.Training.LearningRateScaling.None,
            "linear" => Pipelines.Torch.Training.LearningRateScaling.Linear,
            "sqrt" => Pipelines.Torch.Training.LearningRateScaling.SquareRoot,
            var other => throw new ArgumentException($"--scaling {other}: expected rule, fixed, linear or sqrt."),
        },
        FixedRate = Option("--scaling") == "fixed",
        SearchFactors = Option("--search")?.Split(',').Select(double.Parse).ToArray(),
        Target = Option("--target") is { } t ? double.Parse(t) : null,
        Epochs = int.Parse(Option("--epochs") ?? "20"),
        MatchSteps = args.Contains("--match-steps"),
        PlateauFactor = Option("--plateau") is { } plateau ? (plateau == "none" ? null : double.Parse(plateau)) : 2,
        TrainTimeSeconds = Option("--train-time") is { } time ? double.Parse(time) : null,
        Seed = int.Parse(Option("--seed") ?? "1"),
        Threads = int.Parse(Option("--threads") ?? "1"),
    };
    TorchRuntime.EnsureInitialized();
    Console.WriteLine($"Batch-size sweep on {settings.Dataset}. Machine: {Environment.ProcessorCount} logical CPUs, {CpuModel()}. Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
    BatchSizeExperiment.Run(settings, FindRepositoryRoot(), Console.Out);
    return 0;
}

// dotnet run -c Release --project bench/Pipelines.Bench -- batch-size blobs [--seeds N] [--epochs 200] [--out PATH]
static int RunBlobs(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    TorchRuntime.EnsureInitialized();
    var header = $"Machine: {Environment.ProcessorCount} logical CPUs, {CpuModel()}. Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";
    Console.WriteLine(header);
    var table = BlobsExperiment.Run(int.Parse(Option("--seeds") ?? "5"), int.Parse(Option("--epochs") ?? "200"), Console.Out);
    Console.WriteLine(table);
    if (Option("--out") is { } outPath) File.WriteAllText(outPath, header + "\n\n" + table);
    return 0;
}

static int RunQuality(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    string root = FindRepositoryRoot();
    string data(string file) => Path.Combine(root, "datasets", file);
    int fashionRows = int.Parse(Option("--fashion-rows") ?? "6000");
    var known = new Dictionary<string, Func<QualityDataset>>
    {
        ["adult"] = () => new QualityDataset("adult", data("adult.csv"), "label"),
        ["digits"] = () => new QualityDataset("digits", data("digits.csv"), "digit"),
        ["concrete"] = () => new QualityDataset("concrete", data("concrete.csv"), "compressive_strength", Task: Pipelines.Torch.Data.PredictionKind.Regression),
        ["fashion-mnist"] = () => new QualityDataset($"fashion-mnist ({fashionRows:N0} images as a table)", QualityBenchmark.FashionMnistTable(
            Path.Combine(root, "..", "shared", "datasets", "fashion-mnist"), fashionRows, Path.Combine(Path.GetTempPath(), $"fashion-mnist-{fashionRows}.csv")), "label"),
    };
    var datasets = (Option("--datasets") ?? "adult,digits,concrete,fashion-mnist").Split(',').Select(n => known.TryGetValue(n, out var make)
        ? make() : throw new ArgumentException($"Unknown dataset '{n}' (expected {string.Join(", ", known.Keys)}).")).ToList();
    var budgets = (Option("--budgets") ?? "30,120,300").Split(',').Select(double.Parse).ToList();
    var seeds = (Option("--seeds") ?? "1,2,3").Split(',').Select(int.Parse).ToList();
    TorchRuntime.EnsureInitialized();
    var header = $"Quality: the engine (all tabular trainers, defaults first, ECI, final ensemble) against each trainer with its defaults, " +
                 $"on fixed 80/20 splits (seed 0); the engine's validation set is 20% of the 80%{(args.Contains("--refit") ? ", and the chosen model (a default's too) is refitted on the whole 80%" : "")}. Test metric: accuracy, micro-accuracy or R^2. " +
                 $"Machine: {Environment.ProcessorCount} logical CPUs, {CpuModel()}. Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";
    Console.WriteLine(header);
    var rows = QualityBenchmark.Run(datasets, budgets, seeds, args.Contains("--refit"), Console.Out,
        enginesOnly: args.Contains("--engines-only"), listTrials: args.Contains("--trials"));
    var table = QualityBenchmark.ToMarkdown(rows);
    Console.WriteLine(table);
    if (Option("--out") is { } outPath) File.WriteAllText(outPath, header + "\n\n" + table);
    return 0;
}

static int RunTurnover(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    TorchRuntime.EnsureInitialized();
    var adult = BenchDataset.Adult(Path.Combine(FindRepositoryRoot(), "datasets", "adult.csv"));
    Console.WriteLine(TurnoverBenchmark.Run(adult, int.Parse(Option("--rows") ?? "6000"), int.Parse(Option("--trials") ?? "12"), Console.Out));
    return 0;
}

static int RunStorage(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    var url = Option("--url") ?? Environment.GetEnvironmentVariable("PIPELINES_TEST_POSTGRES")
        ?? throw new ArgumentException("storage: give --url postgresql://USER@HOST:PORT/DB (an empty database).");
    Console.WriteLine("| workers | trials | trial s | wall s | trials/s | ideal | of ideal | db ms/trial | duplicate numbers |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
    Console.WriteLine(StorageBenchmark.Run(url, int.Parse(Option("--workers") ?? "16"), int.Parse(Option("--trials") ?? "2000"),
        double.Parse(Option("--trial-seconds") ?? "0.1", CultureInfo.InvariantCulture)));
    return 0;
}

static string FindRepositoryRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipelines.sln"))) return dir.FullName;
    throw new InvalidOperationException("Cannot find the repository root (Pipelines.sln) above the current or application directory.");
}

static string CpuModel() =>
    File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
        : RuntimeInformation.ProcessArchitecture.ToString();
