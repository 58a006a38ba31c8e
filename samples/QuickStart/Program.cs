// Trains the TorchSharp MLP on a real dataset from datasets/, prints the per-epoch report with the
// generalization gap, evaluates on a held-out split with ML.NET's evaluator, then saves, reloads and predicts.
//
//   dotnet run --project samples/QuickStart -c Release -- [breast-cancer|wine|concrete]
using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.Torch;
using Pipelines.Torch.Trainers;
using Pipelines.Torch.Training;

var dataset = args.FirstOrDefault() ?? "breast-cancer";
var root = FindRepoRoot();
var ml = new MLContext(seed: 1);

var options = new TorchMlpTrainer.Options
{
    BatchSize = 32,
    Epochs = 40,
    LearningRate = 1e-3,
    EarlyStoppingPatience = 8,
    Progress = new ConsoleProgress(),
};

Console.WriteLine($"Pipelines quick start: TorchMlp on datasets/{dataset}.csv");
Console.WriteLine($"{"epoch",5} {"train loss",10} {"val loss",10} {"train",7} {"val",7} {"gap",7} {"lr",9} {"samples/s",10}");

ITransformer model;
IDataView test;
TrainingReport report;
switch (dataset)
{
    case "breast-cancer":
    {
        var data = ml.Data.LoadFromTextFile(Path.Combine(root, "datasets", "breast-cancer.csv"), new[]
        {
            new TextLoader.Column("Features", DataKind.Single, 0, 29),
            new TextLoader.Column("Label", DataKind.Boolean, 30),
        }, separatorChar: ',', hasHeader: true);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        var trained = ml.BinaryClassification.Trainers.TorchMlp(options).Fit(split.TrainSet);
        (model, test, report) = (trained, split.TestSet, trained.TrainingReport);
        var m = ml.BinaryClassification.Evaluate(model.Transform(test));
        Console.WriteLine($"Test accuracy {m.Accuracy:F4}, AUC {m.AreaUnderRocCurve:F4}, F1 {m.F1Score:F4}");
        break;
    }
    case "wine":
    {
        var data = ml.Data.LoadFromTextFile(Path.Combine(root, "datasets", "wine.csv"), new[]
        {
            new TextLoader.Column("Features", DataKind.Single, 0, 12),
            new TextLoader.Column("Class", DataKind.String, 13),
        }, separatorChar: ',', hasHeader: true);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 1);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Class")
            .Append(ml.MulticlassClassification.Trainers.TorchMlp(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
        var trained = pipeline.Fit(split.TrainSet);
        (model, test, report) = (trained, split.TestSet, ((TorchMlpModel)trained.Skip(1).First()).TrainingReport);
        var m = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Console.WriteLine($"Test macro accuracy {m.MacroAccuracy:F4}, micro accuracy {m.MicroAccuracy:F4}, log-loss {m.LogLoss:F4}");
        break;
    }
    case "concrete":
    {
        var data = ml.Data.LoadFromTextFile(Path.Combine(root, "datasets", "concrete.csv"), new[]
        {
            new TextLoader.Column("Features", DataKind.Single, 0, 7),
            new TextLoader.Column("Label", DataKind.Single, 8),
        }, separatorChar: ',', hasHeader: true);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        options.Epochs = 150;
        options.LearningRate = 3e-3;
        var trained = ml.Regression.Trainers.TorchMlp(options).Fit(split.TrainSet);
        (model, test, report) = (trained, split.TestSet, trained.TrainingReport);
        var m = ml.Regression.Evaluate(model.Transform(test));
        Console.WriteLine($"Test R^2 {m.RSquared:F4}, RMSE {m.RootMeanSquaredError:F3} MPa, MAE {m.MeanAbsoluteError:F3} MPa");
        break;
    }
    default:
        Console.Error.WriteLine($"Unknown dataset '{dataset}'. Choose breast-cancer, wine or concrete.");
        return 2;
}

Console.WriteLine($"Stopped: {report.StopReason} after {report.Epochs.Count} epochs, best epoch {report.BestEpoch}, " +
                  $"{report.TotalOptimizerSteps} optimizer steps, {report.TotalSeconds:F1} s on {report.Device}.");
foreach (var note in report.Notes) Console.WriteLine($"Note: {note}");

var output = Directory.CreateDirectory(Path.Combine(root, "artifacts", "quickstart"));
var zip = Path.Combine(output.FullName, $"{dataset}.zip");
ml.Model.Save(model, test.Schema, zip);
File.WriteAllText(Path.Combine(output.FullName, $"{dataset}.report.json"), report.ToJson());
var reloaded = new MLContext().Model.Load(zip, out _);
Console.WriteLine($"Saved {zip} (ONNX inside) and reloaded it; first test row scores the same: " +
                  $"{Same(model.Transform(test), reloaded.Transform(test))}.");
return 0;

static bool Same(IDataView a, IDataView b)
{
    var column = a.Schema["Score"];
    if (column.Type is VectorDataViewType)
        return a.GetColumn<float[]>("Score").First().SequenceEqual(b.GetColumn<float[]>("Score").First());
    return a.GetColumn<float>("Score").First() == b.GetColumn<float>("Score").First();
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir != null && !Directory.Exists(Path.Combine(dir.FullName, "datasets"))) dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}

sealed class ConsoleProgress : IProgress<EpochReport>
{
    public void Report(EpochReport e) => Console.WriteLine(
        $"{e.Epoch,5} {e.TrainLoss,10:F4} {e.ValidationLoss,10:F4} {e.TrainMetric,7:F4} {e.ValidationMetric,7:F4} {e.GeneralizationGap,7:F4} {e.LearningRate,9:G3} {e.SamplesPerSecond,10:F0}");
}
