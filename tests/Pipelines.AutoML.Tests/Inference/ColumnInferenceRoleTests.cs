using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.AutoML.Inference;
using Pipelines.Torch.Data;

namespace Pipelines.AutoML.Tests.Inference;

/// <summary>Column roles and label tasks on small files built to show one rule each.</summary>
public class ColumnInferenceRoleTests : IDisposable
{
    readonly DataFiles _files = new();
    public void Dispose() => _files.Dispose();

    static readonly string[] Subjects = { "The delivery", "My order", "This phone", "The support team", "Our new sofa", "The hotel room" };
    static readonly string[] Verdicts = { "arrived late and broken", "works really well", "was a pleasant surprise", "never answered my emails", "looks exactly like the pictures", "smelled of smoke" };

    /// <summary>Rows with a row number, a free-text review, a uuid-like key, a constant, a yes/no flag, a price and a rating.</summary>
    string WriteReviews(int rows = 48)
    {
        var lines = new List<string> { "row,review,order_key,channel,gift,price,rating" };
        for (int i = 0; i < rows; i++)
        {
            var review = $"{Subjects[i % Subjects.Length]} {Verdicts[(i * 5 + i / 6) % Verdicts.Length]} (visit {i})";
            lines.Add($"{i + 1},{review},K{(i * 7919) % 100003:x6},web,{(i % 3 == 0 ? "yes" : "no")},{10 + (i * 13 % 29) * 0.5},{(i % 2 == 0 ? "good" : "bad")}");
        }
        return _files.Write("reviews.csv", lines);
    }

    [Fact]
    public void RowNumbersKeysAndConstantsAreIgnoredAndSentencesAreText()
    {
        var result = ColumnInference.InferColumns(WriteReviews(), "rating");

        InferredColumn Column(string name) => result.Columns.Single(c => c.Name == name);
        Assert.Equal((ColumnRole.Ignore, IgnoreReason.IdLike), (Column("row").Role, Column("row").IgnoreReason));
        Assert.Equal(ColumnRole.Text, Column("review").Role);
        Assert.Equal((ColumnRole.Ignore, IgnoreReason.IdLike), (Column("order_key").Role, Column("order_key").IgnoreReason));
        Assert.Equal((ColumnRole.Ignore, IgnoreReason.Constant), (Column("channel").Role, Column("channel").IgnoreReason));
        Assert.Equal((ColumnRole.Boolean, DataKind.Boolean), (Column("gift").Role, Column("gift").DataKind));
        Assert.Equal(ColumnRole.Numeric, Column("price").Role);
        Assert.All(result.Columns, c => Assert.False(string.IsNullOrEmpty(c.Explanation)));
    }

    [Fact]
    public void ShuffledRowNumbersAreIdLikeButAUniqueMeasurementIsNot()
    {
        var lines = new List<string> { "id_shuffled,weight,label" };
        for (int i = 0; i < 100; i++)
            lines.Add($"{(i * 37) % 100},{100000 + (i * 7919) % 100003 * 3},{(i % 2 == 0 ? "a" : "b")}");
        var path = _files.Write("ids.csv", lines);

        var result = ColumnInference.InferColumns(path, "label");

        Assert.Equal(IgnoreReason.IdLike, result.Columns[0].IgnoreReason);
        Assert.Equal(ColumnRole.Numeric, result.Columns[1].Role);
    }

    [Fact]
    public void IgnoredColumnsAreMatchedByOriginalOrCleanName()
    {
        var result = ColumnInference.InferColumns(WriteReviews(), "rating", ignoreColumns: new[] { "PRICE", "gift" });

        Assert.Equal(IgnoreReason.UserIgnored, result.Columns.Single(c => c.Name == "price").IgnoreReason);
        Assert.Equal(IgnoreReason.UserIgnored, result.Columns.Single(c => c.Name == "gift").IgnoreReason);
        Assert.Equal(new[] { "review" }, result.FeatureColumns.Select(c => c.Name));
    }

    [Fact]
    public void TwoStringsAreBinaryWithTheRarerAsPositive()
    {
        var lines = new[] { "x,diagnosis" }.Concat(Enumerable.Range(0, 30).Select(i => $"{i % 5},{(i % 3 == 0 ? "M" : "B")}"));

        var result = ColumnInference.InferColumns(_files.Write("diag.csv", lines), "diagnosis");

        Assert.Equal(PredictionKind.BinaryClassification, result.Task);
        Assert.Equal(DataKind.String, result.Label.DataKind);
        Assert.Equal(new[] { "B", "M" }, result.LabelClasses);
        Assert.Equal("M", result.PositiveClass);
    }

    [Fact]
    public void TwoNumbersAreBinaryAndManyWholeNumbersAreRegression()
    {
        var twoValues = new[] { "x,y" }.Concat(Enumerable.Range(0, 30).Select(i => $"{i % 5},{(i % 3 == 0 ? 4 : 2)}"));
        var manyValues = new[] { "x,y" }.Concat(Enumerable.Range(0, 60).Select(i => $"{i % 5},{i * 3}"));

        var binary = ColumnInference.InferColumns(_files.Write("two.csv", twoValues), "y");
        var regression = ColumnInference.InferColumns(_files.Write("many.csv", manyValues), "y");

        Assert.Equal(PredictionKind.BinaryClassification, binary.Task);
        Assert.Equal(DataKind.Single, binary.Label.DataKind);
        Assert.Equal("4", binary.PositiveClass);
        Assert.Equal(PredictionKind.Regression, regression.Task);
    }

    [Fact]
    public void TheTaskCanBeForced()
    {
        var result = ColumnInference.InferColumns(DataFiles.Dataset("digits.csv"), "digit", task: PredictionKind.Regression);

        Assert.Equal(PredictionKind.Regression, result.Task);
        Assert.True(result.TaskWasForced);
        Assert.Equal(DataKind.Single, result.Label.DataKind);
    }

    [Fact]
    public void FeatureColumnsNamedLikeTheOutputsKeepTheirNamesAndStillBecomeFeatures()
    {
        var lines = new[] { "Features,Label,target" }.Concat(Enumerable.Range(0, 30).Select(i => $"{i % 7},{i % 3},{i * 1.5}"));

        var result = ColumnInference.InferColumns(_files.Write("clash.csv", lines), "target");

        Assert.Equal(new[] { "Features", "Label", "target" }, result.Columns.Select(c => c.Name));
        var ml = new MLContext(1);
        var data = result.LoadData(ml);
        var featurized = Featurizer.Build(ml, result).Fit(data).Transform(data);
        var features = featurized.GetColumn<float[]>("Features").ToArray();
        Assert.Equal(Enumerable.Range(0, 30).Select(i => new float[] { i % 7, i % 3 }), features);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (float)(i * 1.5)), featurized.GetColumn<float>("Label"));
    }

    [Fact]
    public void HeaderNamesAreKeptWithDotsSpacesUnicodeAndOnlyRepeatsChange()
    {
        var lines = new[] { "x.box,x box,x_box,größe,x.box,y" }.Concat(Enumerable.Range(0, 30).Select(i => $"{i},{i % 5},{i % 3},{i % 7},{i % 2},{i % 4}"));

        var result = ColumnInference.InferColumns(_files.Write("names.csv", lines), "y", task: PredictionKind.Regression);

        Assert.Equal(new[] { "x.box", "x box", "x_box", "größe", "x.box_2", "y" }, result.Columns.Select(c => c.Name));
        var data = result.LoadData(new MLContext(1));
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (float)(i % 7)), data.GetColumn<float>("größe"));
    }
}
