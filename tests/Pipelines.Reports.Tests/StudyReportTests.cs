using System.Text.RegularExpressions;
using Pipelines.AutoML.Trials;
using Pipelines.Reports.Html;

namespace Pipelines.Reports.Tests;

/// <summary>The written report: sections, embedded plots, PNG files, escaping, and studies of every odd shape.</summary>
public class StudyReportTests
{
    static readonly Regex EmbeddedImage = new("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"", RegexOptions.Compiled);

    [Fact]
    public void MixedStudyHasEverySectionAndEmbedsEveryPlot()
    {
        using var folder = new TempFolder();
        var files = StudyReport.Write(folder.Path, SyntheticStudy.Input(SyntheticStudy.Mixed()));

        Assert.Equal(Path.Combine(folder.Path, "report.html"), files.HtmlPath);
        string html = File.ReadAllText(files.HtmlPath);
        foreach (var section in ReportPage.Sections) Assert.Contains($">{section.Heading}</h2>", html);

        var expected = new[]
        {
            "optimization-history.png", "learning-curves-metric.png", "learning-curves-loss.png", "batch-size-metric.png",
            "batch-size-gap.png", "batch-size-throughput.png", "importance-torch-mlp.png",
        };
        Assert.Equal(expected, files.PlotPaths.Select(Path.GetFileName));
        var embedded = EmbeddedImage.Matches(html).Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();
        Assert.Equal(files.PlotPaths.Count, embedded.Count);
        for (int i = 0; i < files.PlotPaths.Count; i++)
        {
            string path = files.PlotPaths[i];
            Assert.Equal(Path.Combine(folder.Path, "plots"), Path.GetDirectoryName(path));
            byte[] png = File.ReadAllBytes(path);
            Assert.True(Png.HasSignature(png), $"{path} is not a PNG");
            Assert.InRange(png.Length, 8_000, 1_000_000);
            var (width, height) = Png.Size(png);
            Assert.Equal(900, width);
            Assert.InRange(height, 250, 700);
            Assert.Equal(png, embedded[i]);
        }
    }

    [Fact]
    public void DataIsEscapedAndNothingIsFetched()
    {
        using var folder = new TempFolder();
        var trials = SyntheticStudy.Mixed().ToList();
        trials.Add(SyntheticStudy.FastTree(17, 0.5, 0.0) with { Trainer = "<b>odd</b>" });
        var settings = new Dictionary<string, string>(SyntheticStudy.Settings) { ["note"] = "<img src=x onerror=alert(1)>" };
        var input = SyntheticStudy.Input(trials) with { Title = "a&b <i>", Settings = settings };
        string html = File.ReadAllText(StudyReport.Write(folder.Path, input).HtmlPath);

        Assert.Contains("TorchSharp failed: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;", html);
        Assert.Contains("&lt;b&gt;odd&lt;/b&gt;", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
        Assert.Contains("<h1>a&amp;b &lt;i&gt;</h1>", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>odd", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("@import", html);
    }

    [Fact]
    public void SummaryNamesTheBestTrialAndCountsStatuses()
    {
        using var folder = new TempFolder();
        string html = File.ReadAllText(StudyReport.Write(folder.Path, SyntheticStudy.Input(SyntheticStudy.Mixed())).HtmlPath);
        Assert.Contains("<tr><th>Trial</th><td>#3 (completed)</td></tr>", html);
        Assert.Contains("<tr><th>Validation Accuracy</th><td>0.8700</td></tr>", html);
        Assert.Contains("<tr><th>Generalization gap</th><td>+0.0300</td></tr>", html);
        Assert.Contains("<tr><th>batch_size</th><td>64</td></tr>", html);
        Assert.Contains("<tr><th>Completed</th><td>11</td></tr>", html);
        Assert.Contains("<tr><th>Pruned</th><td>2</td></tr>", html);
        Assert.Contains("<tr><th>Failed</th><td>1</td></tr>", html);
        Assert.Contains("<tr><th>Diverged</th><td>1</td></tr>", html);
        Assert.Contains("<tr><th>Running</th><td>1</td></tr>", html);
        Assert.Contains("<tr><th>pruner</th><td>median</td></tr>", html);
        Assert.Contains("still running", html);
        // The leaderboard ranks completed trials by objective and highlights the best.
        Assert.Contains("<tr class=\"best\"><td class=\"num\">1</td><td class=\"num\">#3</td><td>torch-mlp</td>", html);
    }

    [Fact]
    public void TheCallersBestTrialWins()
    {
        using var folder = new TempFolder();
        var input = SyntheticStudy.Input(SyntheticStudy.Mixed()) with { BestTrialId = 2 };
        string html = File.ReadAllText(StudyReport.Write(folder.Path, input).HtmlPath);
        Assert.Contains("<tr><th>Trial</th><td>#2 (completed)</td></tr>", html);
    }

    [Fact]
    public void StudyWithoutTorchTrialsSaysSoInsteadOfPlotting()
    {
        using var folder = new TempFolder();
        var trials = new[]
        {
            SyntheticStudy.FastTree(1, 0.80, 0.05, leaves: 8), SyntheticStudy.FastTree(2, 0.84, 0.04, leaves: 32),
            SyntheticStudy.FastTree(3, 0.86, 0.03, leaves: 128), SyntheticStudy.FastTree(4, 0.79, 0.06, leaves: 8),
        };
        var files = StudyReport.Write(folder.Path, SyntheticStudy.Input(trials));
        string html = File.ReadAllText(files.HtmlPath);
        Assert.Equal(new[] { "optimization-history.png", "importance-fasttree.png" }, files.PlotPaths.Select(Path.GetFileName));
        Assert.Contains("No Torch trials in this study: no trainer trained in epochs", html);
        Assert.Contains("No Torch trials in this study: batch size was not part of the search", html);
        Assert.Equal(2, EmbeddedImage.Matches(html).Count);
    }

    [Fact]
    public void OnlyFailedTrialsGiveAPageWithoutPlots()
    {
        using var folder = new TempFolder();
        var trials = new[] { SyntheticStudy.Failed(1, "OutOfMemoryException: boom"), SyntheticStudy.Failed(2, "OutOfMemoryException: boom") };
        var files = StudyReport.Write(folder.Path, SyntheticStudy.Input(trials));
        string html = File.ReadAllText(files.HtmlPath);
        Assert.Empty(files.PlotPaths);
        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, "plots")));
        Assert.Contains("there is no best trial", html);
        Assert.Contains("Most common error (2 of 2 trials): OutOfMemoryException: boom", html);
        Assert.Contains("no history to plot", html);
        Assert.Contains("No completed Torch trial yet: nothing to plot against batch size.", html);
        foreach (var section in ReportPage.Sections) Assert.Contains($">{section.Heading}</h2>", html);
    }

    [Fact]
    public void SingleTrialAndEmptyStudyWork()
    {
        using var one = new TempFolder();
        var files = StudyReport.Write(one.Path, SyntheticStudy.Input(new[] { SyntheticStudy.Torch(1, 64, 0.8, 0.02) }));
        Assert.Equal(new[] { "optimization-history.png", "learning-curves-metric.png", "learning-curves-loss.png", "batch-size-metric.png", "batch-size-gap.png", "batch-size-throughput.png" },
            files.PlotPaths.Select(Path.GetFileName));
        Assert.All(files.PlotPaths, p => Assert.True(Png.HasSignature(File.ReadAllBytes(p))));

        using var none = new TempFolder();
        var empty = StudyReport.Write(none.Path, SyntheticStudy.Input(Array.Empty<TrialRecord>()) with { Elapsed = null });
        Assert.Empty(empty.PlotPaths);
        Assert.Contains("The study has no trials yet.", File.ReadAllText(empty.HtmlPath));
    }

    [Fact]
    public void NonFiniteValuesAreShownAndSkippedInPlots()
    {
        using var folder = new TempFolder();
        var trials = SyntheticStudy.Mixed().ToList();
        trials.Add(SyntheticStudy.Torch(17, 256, 0.8, 0.02) with
        {
            Objective = double.NaN, ValidationMetric = double.PositiveInfinity, TrainMetric = double.NegativeInfinity, GeneralizationGap = double.NaN,
        });
        var files = StudyReport.Write(folder.Path, SyntheticStudy.Input(trials));
        string html = File.ReadAllText(files.HtmlPath);
        Assert.Contains("<td class=\"num\">∞</td><td class=\"num\">−∞</td><td class=\"num\">NaN</td>", html);
        // The diverged trial's report (NaN and infinite losses, written as named literals) was read: its batch size shows.
        Assert.Matches("<td class=\"num\">#12</td><td>torch-mlp</td><td>diverged</td>(<td class=\"num\">[^<]*</td>){3}<td class=\"num\">16</td><td class=\"num\">3</td>", html);
        Assert.All(files.PlotPaths, p => Assert.True(Png.HasSignature(File.ReadAllBytes(p))));
    }

    [Fact]
    public void MinimizedRegressionMetricRanksLowestFirst()
    {
        using var folder = new TempFolder();
        var trials = new[] { SyntheticStudy.Torch(1, 32, 3.5, 0.2), SyntheticStudy.Torch(2, 64, 2.5, 0.4), SyntheticStudy.Torch(3, 128, 4.0, 0.6) };
        var input = SyntheticStudy.Input(trials, OptimizationDirection.Minimize, "RootMeanSquaredError") with { Task = PredictionKind.Regression };
        var files = StudyReport.Write(folder.Path, input);
        string html = File.ReadAllText(files.HtmlPath);
        Assert.Contains("<tr><th>Trial</th><td>#2 (completed)</td></tr>", html);
        Assert.Contains("RootMeanSquaredError (minimized)", html);
        Assert.Contains("Best median validation metric at batch 64", html);
    }

    [Fact]
    public void WritingTwiceReplacesTheFiles()
    {
        using var folder = new TempFolder();
        var input = SyntheticStudy.Input(SyntheticStudy.Mixed());
        var first = StudyReport.Write(folder.Path, input);
        string before = File.ReadAllText(first.HtmlPath);
        var second = StudyReport.Write(folder.Path, input);
        Assert.Equal(first.HtmlPath, second.HtmlPath);
        Assert.Equal(first.PlotPaths, second.PlotPaths);
        Assert.Equal(before, File.ReadAllText(second.HtmlPath));
    }

    [Fact]
    public void GapPenalizedObjectiveGetsItsOwnColumn()
    {
        using var folder = new TempFolder();
        var trials = new[]
        {
            SyntheticStudy.Torch(1, 32, 0.85, 0.10) with { Objective = 0.80 },
            SyntheticStudy.Torch(2, 64, 0.83, 0.01) with { Objective = 0.82 },
        };
        string html = File.ReadAllText(StudyReport.Write(folder.Path, SyntheticStudy.Input(trials)).HtmlPath);
        Assert.Contains("<th class=\"num\">Objective</th>", html);
        // The penalized objective decides: trial 2 is best although trial 1 has the higher metric.
        Assert.Contains("<tr><th>Trial</th><td>#2 (completed)</td></tr>", html);
        Assert.Contains("<tr><th>Objective (gap-penalized)</th><td>0.8200</td></tr>", html);
    }

    [Fact]
    public void OnlyPrunedTorchTrialsStillShowTheirCurves()
    {
        using var folder = new TempFolder();
        var trials = new[]
        {
            SyntheticStudy.Torch(1, 32, 0.7, 0.0, TrialStatus.Pruned, epochsRun: 3),
            SyntheticStudy.Torch(2, 64, 0.7, 0.0, TrialStatus.Pruned, epochsRun: 5),
        };
        var files = StudyReport.Write(folder.Path, SyntheticStudy.Input(trials));
        string html = File.ReadAllText(files.HtmlPath);
        Assert.Contains("No Torch trial has completed yet; these are the 2 pruned ones that ran longest", html);
        Assert.Equal(new[] { "learning-curves-metric.png", "learning-curves-loss.png", "batch-size-throughput.png" }, files.PlotPaths.Select(Path.GetFileName));
        Assert.Contains("no history to plot", html);
    }
}
