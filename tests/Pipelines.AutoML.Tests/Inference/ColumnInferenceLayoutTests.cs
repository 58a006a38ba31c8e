using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.AutoML.Inference;
using Pipelines.Torch.Data;

namespace Pipelines.AutoML.Tests.Inference;

/// <summary>Separators, headers, padding, quoting and decimal commas, on files the tests write.</summary>
public class ColumnInferenceLayoutTests : IDisposable
{
    readonly DataFiles _files = new();
    public void Dispose() => _files.Dispose();

    static readonly string[] Colors = { "red", "green", "blue" };

    /// <summary>60 rows: a measurement, a count, a colour and a yes/no label, joined by <paramref name="separator"/>.</summary>
    static IEnumerable<string> Rows(string separator, bool header = true, string decimalSeparator = ".")
    {
        if (header) yield return string.Join(separator, "length", "count", "color", "bought");
        for (int i = 0; i < 60; i++)
        {
            var length = (1.5 + (i * 37 % 23) / 4.0).ToString(CultureInfo.InvariantCulture).Replace(".", decimalSeparator);
            yield return string.Join(separator, length, (i * 7 % 13).ToString(), Colors[i % 3], i % 4 == 0 ? "yes" : "no");
        }
    }

    static void AssertTheFourColumns(ColumnInferenceResult result)
    {
        Assert.Equal(new[] { ColumnRole.Numeric, ColumnRole.Numeric, ColumnRole.Categorical, ColumnRole.Label },
            result.Columns.Select(c => c.Role));
        Assert.Equal(PredictionKind.BinaryClassification, result.Task);
        Assert.Equal(DataKind.Boolean, result.Label.DataKind);
        Assert.Equal(60, result.DataRowCount);
    }

    [Theory]
    [InlineData("data.tsv", "\t", '\t')]
    [InlineData("data.txt", "|", '|')]
    [InlineData("data.csv", ",", ',')]
    public void DetectsTheSeparator(string name, string separator, char expected)
    {
        var path = _files.Write(name, Rows(separator));

        var result = ColumnInference.InferColumns(path, "bought");

        Assert.Equal(expected, result.Separator);
        Assert.True(result.HasHeader);
        AssertTheFourColumns(result);
    }

    [Fact]
    public void ReadsASemicolonFileWithDecimalCommas()
    {
        var path = _files.Write("european.csv", Rows(";", decimalSeparator: ","));

        var result = ColumnInference.InferColumns(path, "bought");

        Assert.Equal(';', result.Separator);
        Assert.Equal(',', result.DecimalMarker);
        AssertTheFourColumns(result);
        var lengths = result.LoadData(new MLContext(1)).GetColumn<float>("length").Take(2).ToArray();
        Assert.Equal(new[] { 1.5f, 5f }, lengths);
    }

    [Fact]
    public void AFileWithoutHeaderGetsColNNames()
    {
        var path = _files.Write("noheader.csv", Rows(",", header: false));

        var result = ColumnInference.InferColumns(path, "col3");

        Assert.False(result.HasHeader);
        Assert.Equal(new[] { "col0", "col1", "col2", "col3" }, result.Columns.Select(c => c.Name));
        AssertTheFourColumns(result);
        Assert.Equal(60, result.LoadData(new MLContext(1)).GetColumn<bool>("col3").Count());
    }

    [Fact]
    public void HasHeaderFalseIsRespected()
    {
        var path = _files.Write("forced.csv", new[] { "a,b", "x,1", "y,2", "x,3" });

        var result = ColumnInference.InferColumns(path, "col0", hasHeader: false);

        Assert.False(result.HasHeader);
        Assert.Equal(4, result.DataRowCount);
    }

    [Fact]
    public void CommaSpaceSeparatedFieldsAreTrimmedAsInTheAdultSource()
    {
        // The shared adult.txt is written with ", " between fields and a label(IsOver50K) header.
        var lines = File.ReadLines(DataFiles.Dataset("adult.csv")).Take(301).Select(l => l.Replace(",", ", ")).ToList();
        lines[0] = lines[0].Replace("label", "label(IsOver50K)").Replace("education_num", "education-num");
        var path = _files.Write("adult-spaced.txt", lines);

        var result = ColumnInference.InferColumns(path, "label(IsOver50K)");

        Assert.Equal(',', result.Separator);
        Assert.True(result.TrimWhitespace);
        Assert.Equal("label(IsOver50K)", result.Label.Name);
        Assert.Equal("education-num", result.Columns[4].Name);
        Assert.Equal(ColumnRole.Numeric, result.Columns[0].Role);
        Assert.Equal(ColumnRole.Categorical, result.Columns[1].Role);
        var data = result.LoadData(new MLContext(1));
        Assert.Equal("State-gov", data.GetColumn<string>("workclass").First());
        Assert.Equal(300, data.GetColumn<bool>("label(IsOver50K)").Count());
    }

    [Fact]
    public void QuotedFieldsMayHoldTheSeparator()
    {
        var lines = new List<string> { "city,size,label" };
        for (int i = 0; i < 40; i++) lines.Add($"\"{(i % 2 == 0 ? "Paris, France" : "Rome, Italy")}\",{i % 7},{(i % 3 == 0 ? "big" : "small")}");
        var path = _files.Write("quoted.csv", lines);

        var result = ColumnInference.InferColumns(path, "label");

        Assert.Equal(',', result.Separator);
        Assert.Equal(ColumnRole.Categorical, result.Columns[0].Role);
        Assert.Equal(2, result.Columns[0].Cardinality);
        Assert.Equal("Paris, France", result.LoadData(new MLContext(1)).GetColumn<string>("city").First());
    }
}
