using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pipelines.Cli.Display;

/// <summary>The terminal's live display while a batch-size sweep runs: the finished runs and the running one with its epoch.</summary>
internal static class SweepLiveView
{
    static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(500);

    public static async Task ShowUntil(IAnsiConsole console, SweepProgress progress, Task until, Func<string?> footer)
    {
        await console.Live(Render(progress.Current(), footer()))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async context =>
            {
                while (!until.IsCompleted)
                {
                    await Task.WhenAny(until, Task.Delay(Refresh));
                    context.UpdateTarget(Render(progress.Current(), footer()));
                }
            });
    }

    static IRenderable Render(SweepProgress.Snapshot s, string? footer)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "Run", "Batch", "Learning rate", "Status", "Steps", "Lowest val loss", "Samples/s" })
            table.AddColumn(column == "Status" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        int runs = s.Running?.Runs ?? 0;
        for (int i = 0; i < s.Finished.Count; i++)
        {
            var r = s.Finished[i];
            table.AddRow((i + 1).ToString(), r.BatchSize.ToString(), Format.Rate(r.LearningRate), Markup.Escape(r.Report.StopReason.ToString()),
                r.Report.TotalOptimizerSteps.ToString("N0"), Format.Metric(r.LowestValidationLoss), r.SamplesPerSecond.ToString("N0"));
        }
        if (s.Running is { } p)
            table.AddRow(p.Run.ToString(), p.BatchSize.ToString(), Format.Rate(p.LearningRate),
                s.Epoch is { } e ? $"epoch {e.Epoch}/{e.PlannedEpochs}" : "starting", "-", Format.Metric(s.Epoch?.ValidationLoss), "-");
        var rows = new List<IRenderable>
        {
            new Markup(Markup.Escape($"elapsed {Format.Clock(s.Elapsed)}  |  runs {s.Finished.Count}{(runs > 0 ? $"/{runs}" : "")} finished")),
            table,
        };
        if (footer != null) rows.Add(new Markup($"[yellow]{Markup.Escape(footer)}[/]"));
        return new Rows(rows);
    }
}
