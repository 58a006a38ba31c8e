namespace Pipelines.Cli.Tests;

/// <summary>
/// One breast-cancer classification run that several tests inspect: four trials of random search, whose seed gives
/// torch-mlp and ML.NET trainers both.
/// </summary>
public sealed class BinaryRun : IDisposable
{
    readonly TempFolder _temp = new();

    public BinaryRun()
    {
        Output = _temp.File("run");
        LogFile = _temp.File("run.log");
        Result = Tool.Run("classification", "--dataset", Tool.Dataset("breast-cancer.csv"), "--label-col", "label",
            "--trainers", "fasttree,linear,torch-mlp", "--epochs", "3..5", "--max-trials", "4", "--tuner", "random", "--seed", "2",
            "--name", "cancer", "-o", Output, "--log-file-path", LogFile);
    }

    public string Output { get; }
    public string LogFile { get; }
    public ToolResult Result { get; }
    public TempFolder Temp => _temp;

    public void Dispose() => _temp.Dispose();
}
