namespace Pipelines.Cli.Tests;

/// <summary>
/// One run on breast-cancer.csv rewritten as a user's file might be: seven feature columns named with a dot, a space,
/// an underscore (the three clash once sanitized), German and Japanese letters, and the featurizer's own output names
/// "Label" and "Features"; the label "quality.grade" says good or bad. Torch MLPs only, so the Torch model's
/// whole-pipeline ONNX and its consumption project are what the tests see.
/// </summary>
public sealed class FileNamesRun : IDisposable
{
    public static readonly string[] FeatureNames = { "x.box", "x box", "x_box", "größe", "名前 (cm)", "Label", "Features" };
    public const string LabelName = "quality.grade";

    readonly TempFolder _temp = new();

    public FileNamesRun()
    {
        var lines = File.ReadLines(Tool.Dataset("breast-cancer.csv")).Skip(1).Select(line =>
        {
            var fields = line.Split(',');
            return string.Join(',', fields.Take(FeatureNames.Length).Append(fields[^1] == "true" ? "bad" : "good"));
        });
        Dataset = _temp.Write("cells.csv", lines.Prepend(string.Join(',', FeatureNames.Append(LabelName))));
        Output = _temp.File("run");
        Result = Tool.Run("classification", "--dataset", Dataset, "--label-col", LabelName, "--trainers", "torch-mlp",
            "--epochs", "8..10", "--max-trials", "2", "--seed", "1", "--name", "Cells", "-o", Output);
    }

    public string Dataset { get; }
    public string Output { get; }
    public ToolResult Result { get; }
    public TempFolder Temp => _temp;

    public void Dispose() => _temp.Dispose();
}
