namespace Pipelines.Reports.Html;

/// <summary>The page's inline style sheet: system fonts only, nothing fetched from the network.</summary>
internal static class ReportStyle
{
    public const string Css = """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1f2328; background: #fff;
               max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; line-height: 1.45; font-size: 15px; }
        h1 { font-size: 28px; margin: 0 0 4px; }
        h2 { font-size: 21px; margin: 40px 0 10px; padding-bottom: 6px; border-bottom: 1px solid #d0d7de; }
        h3 { font-size: 17px; margin: 24px 0 6px; }
        .subtitle { color: #57606a; margin: 0 0 8px; }
        .notice { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 8px 12px; }
        .empty { color: #57606a; font-style: italic; }
        .explain { color: #3d444d; max-width: 920px; }
        nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 12px 0 0; }
        nav a { color: #0969da; text-decoration: none; }
        .cards { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
        .card { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 14px; }
        .card h3 { margin-top: 4px; }
        table { border-collapse: collapse; margin: 8px 0 14px; font-size: 14px; }
        th, td { padding: 4px 10px; border-bottom: 1px solid #e4e8ec; text-align: left; vertical-align: top; }
        thead th { background: #f6f8fa; border-bottom: 2px solid #d0d7de; white-space: nowrap; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.pairs th { font-weight: 600; color: #3d444d; background: none; white-space: nowrap; }
        table.leaderboard td:last-child { max-width: 360px; overflow-wrap: anywhere; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; color: #82071e; }
        tr.best td { background: #dafbe1; font-weight: 600; }
        tr.pruned td { color: #6e5700; }
        tr.failed td, tr.diverged td { color: #82071e; }
        tr.running td { color: #57606a; font-style: italic; }
        figure { margin: 8px 0 18px; }
        figure img { max-width: 100%; height: auto; border: 1px solid #e4e8ec; border-radius: 6px; }
        footer { margin-top: 48px; color: #57606a; font-size: 13px; }
        """;
}
