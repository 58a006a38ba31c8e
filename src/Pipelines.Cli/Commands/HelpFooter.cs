using Spectre.Console;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace Pipelines.Cli.Commands;

/// <summary>Spectre's help, plus what a user of a command line tool needs besides the options: the files a run writes, and the exit codes.</summary>
internal sealed class HelpFooter(ICommandAppSettings settings) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> GetOptions(ICommandModel model, ICommandInfo? command) =>
        base.GetOptions(model, OptionOrder.MostSpecificFirst(command));

    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command)
    {
        foreach (var renderable in base.GetFooter(model, command)) yield return renderable;
        if (command?.Name is "classification" or "regression" or "image-classification")
        {
            yield return Section("OUTPUT FOLDER:", new[]
            {
                ("model.zip", command.Name == "image-classification"
                    ? "the best model, for mlContext.Model.Load (it takes the pixels as Features, as the ImageFolder loader reads them)"
                    : "the best model, for mlContext.Model.Load (it takes the data file's columns)"),
                ("model.onnx", "its ONNX form; when a model cannot be converted the summary says why"),
                ("<Name>.ConsoleApp/", "a console project: `dotnet run` there predicts with model.zip (Program.cs: ModelInput, ModelOutput, PredictionEngine; the csproj: the run's packages)"),
                ("leaderboard.csv", "one row per trial: the live table's columns and every tuned parameter"),
                ("trials.json", "every trial with its per-epoch values and training report"),
                ("study.db", "the SQLite study, written as trials happen; `pipelines resume` continues it"),
                ("settings.json", "the run's settings, read back by resume and report"),
                ("report.html", "the report: optimization history, learning curves, batch size, parameter importance, leaderboard"),
            });
        }
        yield return Section("EXIT CODES:", new[]
        {
            (ExitCodes.Success.ToString(), "success"),
            (ExitCodes.InputError.ToString(), "bad input: a missing file, folder or column, an unreadable row or image, an option value, an output folder holding another run"),
            (ExitCodes.UsageError.ToString(), "the command line: an unknown command or option, a missing value"),
            (ExitCodes.NoModel.ToString(), "no model: every trial failed, or --train-time was too short to finish one"),
            (ExitCodes.InternalError.ToString(), "an internal error (-v diag shows the stack trace)"),
            (ExitCodes.Interrupted.ToString(), "stopped by Ctrl+C; the study is saved and `pipelines resume` continues it"),
        });
    }

    static IRenderable Section(string title, IEnumerable<(string Name, string Text)> rows)
    {
        var grid = new Grid().AddColumn(new GridColumn().PadLeft(4).PadRight(2)).AddColumn();
        foreach (var (name, text) in rows) grid.AddRow(Markup.Escape(name), Markup.Escape(text));
        return new Rows(new Text(""), new Markup($"[yellow]{Markup.Escape(title)}[/]"), grid);
    }
}
