namespace Pipelines.Cli.Tests.Reliability;

/// <summary>One short finished classification run (two linear trials on breast-cancer), made once; tests damage copies of it.</summary>
public sealed class FinishedRun : IDisposable
{
    public const string Study = "finished";
    readonly TempFolder _temp = new();

    public FinishedRun()
    {
        Tool.Run("classification", "--dataset", Tool.Dataset("breast-cancer.csv"), "--label-col", "label", "--trainers", "linear",
            "--max-trials", "2", "--name", Study, "-o", Folder).AssertExitCode(0);
    }

    public string Folder => _temp.File("run");

    /// <summary>A copy of the run's folder (its files, not the consumption project) in <paramref name="parent"/>.</summary>
    public string CopyTo(string parent)
    {
        var copy = Path.Combine(parent, "copy");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(Folder)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    public void Dispose() => _temp.Dispose();
}
