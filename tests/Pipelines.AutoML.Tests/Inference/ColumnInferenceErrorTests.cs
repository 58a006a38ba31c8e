using Pipelines.AutoML.Inference;
using Pipelines.Torch.Data;

namespace Pipelines.AutoML.Tests.Inference;

/// <summary>Every error names the file and says what to do.</summary>
public class ColumnInferenceErrorTests : IDisposable
{
    readonly DataFiles _files = new();
    public void Dispose() => _files.Dispose();

    [Fact]
    public void AMissingFileIsReportedWithItsPath()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-file-" + Guid.NewGuid() + ".csv");

        var error = Assert.Throws<FileNotFoundException>(() => ColumnInference.InferColumns(path, "label"));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void AnEmptyFileAndAHeaderOnlyFileHaveNoData()
    {
        var empty = _files.Write("empty.csv", "\n\n");
        var headerOnly = _files.Write("header.csv", "a,b,label\n");

        var emptyError = Assert.Throws<ColumnInferenceException>(() => ColumnInference.InferColumns(empty, "label"));
        var headerError = Assert.Throws<ColumnInferenceException>(() => ColumnInference.InferColumns(headerOnly, "label"));

        Assert.Contains("is empty", emptyError.Message);
        Assert.Contains("no data rows", headerError.Message);
        Assert.Equal(headerOnly, headerError.FilePath);
    }

    [Fact]
    public void AMisspelledLabelListsTheColumnsAndSuggestsTheClosest()
    {
        var path = DataFiles.Dataset("breast-cancer.csv");

        var error = Assert.Throws<ColumnNotFoundException>(() => ColumnInference.InferColumns(path, "lable"));

        Assert.Equal("label", error.Suggestion);
        Assert.Contains("Did you mean 'label'?", error.Message);
        Assert.Contains("mean_radius, mean_texture", error.Message);
        Assert.Equal(31, error.AvailableColumns.Count);
    }

    [Fact]
    public void ANameFarFromEveryColumnGetsNoSuggestion()
    {
        var error = Assert.Throws<ColumnNotFoundException>(() => ColumnInference.InferColumns(DataFiles.Dataset("iris.csv"), "income"));

        Assert.Null(error.Suggestion);
        Assert.Contains("sepal_length, sepal_width, petal_length, petal_width, species", error.Message);
    }

    [Fact]
    public void AnUnknownColumnToIgnoreIsReportedLikeTheLabel()
    {
        var error = Assert.Throws<ColumnNotFoundException>(() =>
            ColumnInference.InferColumns(DataFiles.Dataset("iris.csv"), "species", ignoreColumns: new[] { "sepal_lenght" }));

        Assert.Equal("sepal_length", error.Suggestion);
    }

    [Fact]
    public void ARaggedRowNamesTheFileTheLineAndTheCounts()
    {
        var lines = new List<string> { "a,b,label" };
        for (int i = 0; i < 20; i++) lines.Add($"{i},{i * 2},{i % 2}");
        lines.Insert(13, "5,6,1,extra");
        var path = _files.Write("ragged.csv", lines);

        var error = Assert.Throws<ColumnInferenceException>(() => ColumnInference.InferColumns(path, "label"));

        Assert.Equal(14, error.LineNumber);
        Assert.Contains($"{path}, line 14: expected 3 fields but found 4", error.Message);
        Assert.Contains("\"5,6,1,extra\"", error.Message);
    }

    [Fact]
    public void ALongRaggedLineIsTruncatedInTheMessage()
    {
        var path = _files.Write("long.csv", new[] { "a,label", "1,0", "2,1", string.Join(",", Enumerable.Range(0, 500)) });

        var error = Assert.Throws<ColumnInferenceException>(() => ColumnInference.InferColumns(path, "label"));

        Assert.Equal(4, error.LineNumber);
        Assert.Contains("...\"", error.Message);
        Assert.True(error.Message.Length < 600);
    }

    [Fact]
    public void RegressionOnATextLabelSaysWhichValueIsNotANumber()
    {
        var error = Assert.Throws<ColumnInferenceException>(() =>
            ColumnInference.InferColumns(DataFiles.Dataset("iris.csv"), "species", task: PredictionKind.Regression));

        Assert.Contains("Regression needs a numeric label", error.Message);
        Assert.Contains("'setosa' on line 2", error.Message);
        Assert.Equal(2, error.LineNumber);
    }

    [Fact]
    public void BinaryOnAThreeClassLabelIsRefused()
    {
        var error = Assert.Throws<ColumnInferenceException>(() =>
            ColumnInference.InferColumns(DataFiles.Dataset("iris.csv"), "species", task: PredictionKind.BinaryClassification));

        Assert.Contains("has 3: 'setosa', 'versicolor', 'virginica'", error.Message);
    }

    [Fact]
    public void ALabelWithOneValueIsRefused()
    {
        var path = _files.Write("one.csv", new[] { "x,label" }.Concat(Enumerable.Range(0, 10).Select(i => $"{i},yes")));

        var error = Assert.Throws<ColumnInferenceException>(() => ColumnInference.InferColumns(path, "label"));

        Assert.Contains("single value ('yes')", error.Message);
    }

    [Fact]
    public void TheLabelCannotAlsoBeIgnored()
    {
        // A user's mistake in the data's options, told as one (the CLI's exit 1), naming the column and the fix.
        var error = Assert.Throws<ColumnInferenceException>(() =>
            ColumnInference.InferColumns(DataFiles.Dataset("iris.csv"), "species", ignoreColumns: new[] { "species" }));
        Assert.Contains("'species'", error.Message);
        Assert.Contains("remove it from the columns to ignore", error.Message);
    }
}
