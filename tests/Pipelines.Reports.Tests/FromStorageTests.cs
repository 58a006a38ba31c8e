using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.Reports.Tests;

/// <summary>A report rebuilt from study storage alone matches the report made from the experiment's own records.</summary>
public class FromStorageTests
{
    const string Study = "breast-cancer";

    /// <summary>Stores the trials the way the experiment does: create, report epochs, set attributes, finish.</summary>
    static InMemoryStudyStorage Store(IReadOnlyList<TrialRecord> trials, IReadOnlyDictionary<string, string> attributes)
    {
        var storage = new InMemoryStudyStorage();
        storage.CreateOrOpenStudy(Study, OptimizationDirection.Maximize, "Accuracy", "{}", attributes);
        foreach (var t in trials)
        {
            int id = storage.CreateTrial(Study, t.Parameters, t.Trainer, t.StartedAt);
            Assert.Equal(t.Id, id);
            foreach (var v in t.IntermediateValues) storage.ReportIntermediate(id, v.Step, v.Value);
            foreach (var (key, value) in t.Attributes) storage.SetTrialAttribute(id, key, value);
            if (t.IsFinished)
                storage.FinishTrial(id, t.Status, t.Objective, t.ValidationMetric, t.TrainMetric, t.GeneralizationGap, t.Error,
                    t.FinishedAt!.Value, t.DurationSeconds);
        }
        return storage;
    }

    static Dictionary<string, string> StudyAttributes() => new(SyntheticStudy.Settings)
    {
        ["task"] = "BinaryClassification", ["label"] = "Label", ["dataset"] = "breast-cancer.csv",
    };

    [Fact]
    public void RebuiltInputHasTheStudysFields()
    {
        var trials = SyntheticStudy.Mixed();
        var input = StudyReportInput.FromStorage(Store(trials, StudyAttributes()), Study);
        Assert.Equal("breast-cancer.csv", input.Title);
        Assert.Equal(PredictionKind.BinaryClassification, input.Task);
        Assert.Equal("Accuracy", input.MetricName);
        Assert.Equal(OptimizationDirection.Maximize, input.Direction);
        Assert.Equal("Label", input.LabelColumn);
        Assert.Equal(trials.Select(t => (t.Id, t.Status, t.Objective)), input.Trials.Select(t => (t.Id, t.Status, t.Objective)));
        Assert.Equal("tpe", input.Settings["tuner"]);
        Assert.Equal(Study, input.Settings["study"]);
        Assert.False(input.Settings.ContainsKey("task"));
        // From the first start to the last finish.
        var end = trials.Where(t => t.FinishedAt != null).Max(t => t.FinishedAt!.Value);
        Assert.Equal(end - trials.Min(t => t.StartedAt), input.Elapsed);
        Assert.Null(input.BestTrialId);
    }

    [Fact]
    public void ReportFromStorageEqualsReportFromRecords()
    {
        var trials = SyntheticStudy.Mixed();
        var stored = StudyReportInput.FromStorage(Store(trials, StudyAttributes()), Study) with { GeneratedAt = SyntheticStudy.Start.AddHours(1) };
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["study"] = Study, ["dataset"] = "breast-cancer.csv" };
        foreach (var (key, value) in SyntheticStudy.Settings) settings[key] = value;
        var direct = SyntheticStudy.Input(trials) with { Elapsed = stored.Elapsed, Settings = new Dictionary<string, string>(settings) };

        using var a = new TempFolder();
        using var b = new TempFolder();
        var fromStorage = StudyReport.Write(a.Path, stored);
        var fromRecords = StudyReport.Write(b.Path, direct);
        Assert.Equal(File.ReadAllText(fromRecords.HtmlPath), File.ReadAllText(fromStorage.HtmlPath));
        Assert.Equal(fromRecords.PlotPaths.Select(Path.GetFileName), fromStorage.PlotPaths.Select(Path.GetFileName));
        for (int i = 0; i < fromRecords.PlotPaths.Count; i++)
            Assert.Equal(File.ReadAllBytes(fromRecords.PlotPaths[i]), File.ReadAllBytes(fromStorage.PlotPaths[i]));
    }

    [Fact]
    public void MissingAttributesFallBackSensibly()
    {
        var storage = new InMemoryStudyStorage();
        storage.CreateOrOpenStudy("housing", OptimizationDirection.Minimize, "RootMeanSquaredError", "{}");
        var input = StudyReportInput.FromStorage(storage, "housing", settings: new Dictionary<string, string> { ["budget"] = "60 s" });
        Assert.Equal("housing", input.Title);
        Assert.Equal(PredictionKind.Regression, input.Task); // the metric belongs to regression only
        Assert.Equal("Label", input.LabelColumn);
        Assert.Empty(input.Trials);
        Assert.Null(input.Elapsed);
        Assert.Equal("60 s", input.Settings["budget"]);
        using var folder = new TempFolder();
        Assert.True(File.Exists(StudyReport.Write(folder.Path, input).HtmlPath));
    }

    [Fact]
    public void UnknownStudyThrowsWithTheKnownNames()
    {
        var storage = new InMemoryStudyStorage();
        storage.CreateOrOpenStudy("a", OptimizationDirection.Maximize, "Accuracy", "{}");
        var e = Assert.Throws<KeyNotFoundException>(() => StudyReportInput.FromStorage(storage, "b"));
        Assert.Contains("Studies: a", e.Message);
    }
}
