using Spectre.Console;

namespace Pipelines.Cli.Display;

/// <summary>
/// The trials table of the live display and the final summary: the columns of leaderboard.csv that matter while
/// watching. A terminal narrower than <see cref="FullWidth"/> gets the compact form (no train metric, no weight
/// decay: leaderboard.csv has them), because squeezed columns break every number over two lines.
/// </summary>
internal static class TrialTable
{
    const int FullWidth = 120;

    public static Table Build(IEnumerable<TrialRow> rows, string metric, int? bestId, bool plain, int width, string? title = null)
    {
        bool full = width >= FullWidth;
        var table = new Table().Border(plain ? TableBorder.Ascii : TableBorder.Rounded);
        if (title != null) table.Title(Markup.Escape(title));
        table.AddColumn(new TableColumn("Trial").RightAligned());
        table.AddColumn("Trainer");
        table.AddColumn(new TableColumn("Batch").RightAligned());
        table.AddColumn(new TableColumn("Epochs").RightAligned());
        table.AddColumn(new TableColumn("LR").RightAligned());
        if (full) table.AddColumn(new TableColumn("Weight decay").RightAligned());
        table.AddColumn(new TableColumn(Markup.Escape($"Val {metric}")).RightAligned());
        if (full) table.AddColumn(new TableColumn(Markup.Escape($"Train {metric}")).RightAligned());
        table.AddColumn(new TableColumn("Gap").RightAligned());
        table.AddColumn(new TableColumn("Time").RightAligned());
        table.AddColumn("Status");
        foreach (var row in rows)
        {
            bool best = row.Id == bestId;
            string Cell(string text) => best && !plain ? $"[bold]{Markup.Escape(text)}[/]" : Markup.Escape(text);
            var cells = new List<string> { Cell(row.Id + (best ? "*" : "")), Cell(row.Trainer), Cell(Format.Integer(row.BatchSize)), Cell(Format.Integer(row.EpochsRun)), Cell(Format.Rate(row.LearningRate)) };
            if (full) cells.Add(Cell(Format.Rate(row.WeightDecay)));
            cells.Add(Cell(Format.Metric(row.ValidationMetric)));
            if (full) cells.Add(Cell(Format.Metric(row.TrainMetric)));
            cells.AddRange(new[] { Cell(Format.Gap(row.Gap)), Cell(Format.Seconds(row.DurationSeconds)), StatusCell(row.Status, plain) });
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    static string StatusCell(string status, bool plain) => plain ? status : status switch
    {
        "completed" => "[green]completed[/]",
        "pruned" => "[grey]pruned[/]",
        "running" => "[blue]running[/]",
        "failed" or "diverged" => $"[red]{status}[/]",
        _ => $"[yellow]{status}[/]",
    };
}
