using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pipelines.Cli.Display;

/// <summary>
/// The terminal's live display while the experiment runs: elapsed and remaining time, the running trials with their
/// epoch, and the best trials so far. Redrawn twice a second from <see cref="RunProgress"/> snapshots.
/// </summary>
internal static class LiveView
{
    static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(500);

    /// <summary>Shows the display until <paramref name="until"/> completes; the final frame stays on screen.</summary>
    public static async Task ShowUntil(IAnsiConsole console, RunProgress progress, string metric, Task until, Func<string?> footer)
    {
        await console.Live(Render(progress.Snapshot(), metric, footer(), console.Profile.Width))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async context =>
            {
                while (!until.IsCompleted)
                {
                    await Task.WhenAny(until, Task.Delay(Refresh));
                    context.UpdateTarget(Render(progress.Snapshot(), metric, footer(), console.Profile.Width));
                }
            });
    }

    static IRenderable Render(ProgressSnapshot s, string metric, string? footer, int width)
    {
        var rows = new List<IRenderable> { new Markup(Markup.Escape(Header(s))) };
        if (s.Running.Count > 0)
        {
            var running = new Table().Border(TableBorder.Simple).Title("running");
            running.AddColumn(new TableColumn("Trial").RightAligned());
            running.AddColumn("Trainer");
            running.AddColumn(new TableColumn("Epoch").RightAligned());
            running.AddColumn(new TableColumn(Markup.Escape($"Val {metric}")).RightAligned());
            running.AddColumn(new TableColumn("Time").RightAligned());
            foreach (var (row, epoch, planned, value) in s.Running)
                running.AddRow(row.Id.ToString(), Markup.Escape(row.Trainer), epoch is { } e ? $"{e}/{planned}" : "-",
                    Format.Metric(value), Format.Seconds(row.DurationSeconds));
            rows.Add(running);
        }
        if (s.Leaders.Count > 0) rows.Add(TrialTable.Build(s.Leaders, metric, s.BestId, plain: false, width, title: "best trials so far"));
        if (footer != null) rows.Add(new Markup($"[yellow]{Markup.Escape(footer)}[/]"));
        return new Rows(rows);
    }

    static string Header(ProgressSnapshot s)
    {
        var parts = new List<string> { $"elapsed {Format.Clock(s.Elapsed)}" };
        if (s.Remaining is { } remaining) parts.Add($"remaining {Format.Clock(remaining)}");
        parts.Add(s.TrialBudget is { } budget ? $"trials {s.StartedThisRun}/{budget}" : $"trials {s.StartedThisRun}");
        var counts = string.Join(", ", s.StatusCounts.OrderByDescending(c => c.Value).Select(c => $"{c.Value} {c.Key}"));
        if (counts.Length > 0) parts.Add(counts);
        return string.Join("  |  ", parts);
    }
}
