using Pipelines.AutoML.Inference;

namespace Pipelines.AutoML.Tests.Inference;

/// <summary>Label classes and category values of a validation file that the training file (adult) lacks, with their lines.</summary>
public sealed class ValueCoverageTests : IDisposable
{
    readonly DataFiles _files = new();

    public void Dispose() => _files.Dispose();

    static readonly string[] Adult = File.ReadLines(DataFiles.Dataset("adult.csv")).ToArray();

    /// <summary>The header and some adult rows, with <paramref name="change"/> applied to the row at each index given.</summary>
    string Validation(Dictionary<int, Func<string[], string[]>> changes)
    {
        var lines = Adult.Take(101).Select((line, i) => i > 0 && changes.TryGetValue(i, out var change) ? string.Join(',', change(line.Split(','))) : line);
        return _files.Write("validation.csv", lines);
    }

    static Func<string[], string[]> Set(int column, string value) => fields => fields.Select((f, i) => i == column ? value : f).ToArray();

    [Fact]
    public void RowsOfTheTrainingFileHoldNothingUnseen()
    {
        var coverage = ValueCoverage.Check(DataFiles.Infer("adult.csv", "label"), Validation(new()));

        Assert.Null(coverage.Label);
        Assert.Empty(coverage.Categories);
    }

    [Fact]
    public void UnseenCategoryValuesAreCountedPerColumnWithTheFirstLine()
    {
        // workclass is column 1, native_country column 13; line numbers count the header as line 1.
        var path = Validation(new()
        {
            [10] = Set(1, "Space-agency"), [20] = Set(1, "Space-agency"), [30] = Set(1, "Moon-base"), [40] = Set(13, "Atlantis"),
        });

        var coverage = ValueCoverage.Check(DataFiles.Infer("adult.csv", "label"), path);

        Assert.Null(coverage.Label);
        Assert.Equal(new[] { "workclass", "native_country" }, coverage.Categories.Select(c => c.Column));
        Assert.Equal(new UnseenValues("workclass", 11, "Space-agency", 3, 2), coverage.Categories[0]);
        Assert.Equal(new UnseenValues("native_country", 41, "Atlantis", 1, 1), coverage.Categories[1]);
    }

    [Fact]
    public void AnUnseenLabelIsFoundAndMissingCellsAreNotValues()
    {
        var path = Validation(new() { [5] = Set(1, "?"), [7] = Set(14, "maybe") });

        var coverage = ValueCoverage.Check(DataFiles.Infer("adult.csv", "label"), path);

        Assert.Equal(new UnseenValues("label", 8, "maybe", 1, 1), coverage.Label);
        Assert.Empty(coverage.Categories);
    }

    [Fact]
    public void NumericClassesAreComparedByValue()
    {
        var training = DataFiles.Infer("digits.csv", "digit");
        var rows = File.ReadLines(DataFiles.Dataset("digits.csv")).Take(30).ToList();
        rows.Add(string.Join(',', rows[1].Split(',')[..^1].Append("7.0")));
        rows.Add(string.Join(',', rows[1].Split(',')[..^1].Append("11")));

        var coverage = ValueCoverage.Check(training, _files.Write("digits-validation.csv", rows));

        Assert.Equal(new UnseenValues("digit", 32, "11", 1, 1), coverage.Label);
    }

    [Fact]
    public void RegressionLabelsAreNotClasses()
    {
        var training = DataFiles.Infer("concrete.csv", "compressive_strength");
        var rows = File.ReadLines(DataFiles.Dataset("concrete.csv")).Take(30).ToList();
        rows.Add(string.Join(',', rows[1].Split(',')[..^1].Append("123456.5")));

        Assert.Null(ValueCoverage.Check(training, _files.Write("concrete-validation.csv", rows)).Label);
    }
}
