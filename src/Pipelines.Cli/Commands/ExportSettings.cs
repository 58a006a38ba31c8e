namespace Pipelines.Cli.Commands;

/// <summary>The options of `export`: the shared study and the folder to write its best model to.</summary>
internal sealed class ExportSettings : SharedStudySettings
{
    [CommandOption("-o|--output <DIR>", isRequired: true)]
    [Description("The folder for model.zip, model.onnx, the consumption project, leaderboard.csv, trials.json and report.html.")]
    public string Output { get; init; } = "";

    [CommandOption("--force")]
    [Description("Replace a run already in the output folder.")]
    public bool Force { get; init; }
}
