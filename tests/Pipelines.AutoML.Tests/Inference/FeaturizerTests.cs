using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.AutoML.Inference;

namespace Pipelines.AutoML.Tests.Inference;

/// <summary>The featurizer's output columns, and models trained on them reaching sensible accuracy on held-out data.</summary>
public class FeaturizerTests : IDisposable
{
    readonly DataFiles _files = new();
    public void Dispose() => _files.Dispose();

    static int VectorSize(IDataView data, string column) => ((VectorDataViewType)data.Schema[column].Type).Size;

    [Fact]
    public void AdultFeaturesAreNumericsPlusOneSlotPerCategoryAndLogisticRegressionBeatsEightyPercent()
    {
        var ml = new MLContext(1);
        var columns = DataFiles.Infer("adult.csv", "label");
        var data = ml.Data.Cache(ml.Data.TakeRows(columns.LoadData(ml), 5000));
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 1);

        var featurizer = Featurizer.Build(ml, columns, new FeaturizerOptions { Normalize = FeatureNormalization.MeanVariance });
        var model = featurizer.Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(split.TrainSet);
        var featurized = model.Transform(split.TrainSet);

        int categories = columns.ColumnsWithRole(Pipelines.AutoML.Inference.ColumnRole.Categorical)
            .Sum(c => split.TrainSet.GetColumn<string>(c.Name).Distinct().Count());
        Assert.Equal(6 + categories, VectorSize(featurized, "Features"));
        Assert.Equal(BooleanDataViewType.Instance, featurized.Schema["Label"].Type);

        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        Assert.True(metrics.Accuracy > 0.80, $"accuracy {metrics.Accuracy:F3}");
    }

    [Fact]
    public void IrisGetsAKeyLabelAndMulticlassAccuracyAboveNinetyPercent()
    {
        var ml = new MLContext(1);
        var columns = DataFiles.Infer("iris.csv", "species");
        var split = ml.Data.TrainTestSplit(columns.LoadData(ml), testFraction: 0.3, seed: 1);

        // L-BFGS with its default L2 penalty underfits iris on [0, 1] features; standardized ones suit it.
        var pipeline = Featurizer.Build(ml, columns, new FeaturizerOptions { Normalize = FeatureNormalization.MeanVariance })
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy());
        var model = pipeline.Fit(split.TrainSet);
        var predictions = model.Transform(split.TestSet);

        var labelType = Assert.IsType<KeyDataViewType>(predictions.Schema["Label"].Type);
        Assert.Equal(3UL, labelType.Count);
        Assert.Equal(4, VectorSize(predictions, "Features"));
        var metrics = ml.MulticlassClassification.Evaluate(predictions);
        Assert.True(metrics.MacroAccuracy > 0.9, $"macro accuracy {metrics.MacroAccuracy:F3}");
    }

    [Fact]
    public void MinMaxPutsEveryFeatureInTheUnitInterval()
    {
        var ml = new MLContext(1);
        var columns = DataFiles.Infer("breast-cancer.csv", "label");
        var data = columns.LoadData(ml);

        var featurized = Featurizer.Build(ml, columns, new FeaturizerOptions { Normalize = FeatureNormalization.MinMax }).Fit(data).Transform(data);

        var values = featurized.GetColumn<float[]>("Features").SelectMany(f => f).ToArray();
        Assert.Equal(569 * 30, values.Length);
        Assert.All(values, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(1f, values.Max());
    }

    [Fact]
    public void ConcreteRegressionWithFastTreeExplainsMostOfTheVariance()
    {
        var ml = new MLContext(1);
        var columns = DataFiles.Infer("concrete.csv", "compressive_strength");
        var split = ml.Data.TrainTestSplit(columns.LoadData(ml), testFraction: 0.2, seed: 1);

        var model = Featurizer.Build(ml, columns).Append(ml.Regression.Trainers.FastTree()).Fit(split.TrainSet);
        var predictions = model.Transform(split.TestSet);

        Assert.Equal(NumberDataViewType.Single, predictions.Schema["Label"].Type);
        var metrics = ml.Regression.Evaluate(predictions);
        Assert.True(metrics.RSquared > 0.5, $"R^2 {metrics.RSquared:F3}");
    }

    [Fact]
    public void DigitsLeavesOutConstantPixelsAndKeysTheNumericLabel()
    {
        var ml = new MLContext(1);
        var columns = DataFiles.Infer("digits.csv", "digit");
        var data = ml.Data.TakeRows(columns.LoadData(ml), 300);

        var featurized = Featurizer.Build(ml, columns).Fit(data).Transform(data);

        Assert.Equal(61, VectorSize(featurized, "Features"));
        Assert.Equal(10UL, Assert.IsType<KeyDataViewType>(featurized.Schema["Label"].Type).Count);
    }

    /// <summary>
    /// 80 rows: a price with gaps ("?"), a yes/no flag, a sentence, a high-cardinality code and an M/B label, of
    /// which some rows are missing.
    /// </summary>
    string WriteMixed()
    {
        string[] words = { "quick", "brown", "fox", "lazy", "dog", "jumps", "over", "the" };
        var lines = new List<string> { "price,member,note,code,diagnosis" };
        for (int i = 0; i < 80; i++)
        {
            var price = i % 10 == 3 ? "?" : (10 + i % 17).ToString();
            var note = $"{words[i % 8]} {words[(i * 3) % 8]} {words[(i * 5 + 1) % 8]} note {i}";
            var label = i % 20 == 7 ? "?" : (i % 3 == 0 ? "M" : "B");
            lines.Add($"{price},{(i % 2 == 0 ? "yes" : "no")},{note},C{i % 40},{label}");
        }
        return _files.Write("mixed.csv", lines);
    }

    [Fact]
    public void MixedColumnsBecomeOneVectorAndRowsWithoutALabelAreDropped()
    {
        var ml = new MLContext(1);
        var columns = ColumnInference.InferColumns(WriteMixed(), "diagnosis");
        Assert.Equal(new[] { ColumnRole.Numeric, ColumnRole.Boolean, ColumnRole.Text, ColumnRole.Categorical, ColumnRole.Label },
            columns.Columns.Select(c => c.Role));
        Assert.Equal(new[] { "?" }, columns.LabelMissingSpellings);

        var data = columns.LoadData(ml);
        var options = new FeaturizerOptions { AddMissingIndicators = true, MaxOneHotCategories = 10, HashBits = 4 };
        var featurized = Featurizer.Build(ml, columns, options).Fit(data).Transform(data);

        var labels = featurized.GetColumn<bool>("Label").ToArray();
        var diagnoses = featurized.GetColumn<string>("diagnosis").ToArray();
        Assert.Equal(76, labels.Length);
        Assert.Equal(diagnoses.Select(d => d == "M"), labels);
        int text = VectorSize(featurized, "note");
        // price, its missing indicator, member, the note's n-grams, 2^4 hashed code slots.
        Assert.Equal(1 + 1 + 1 + text + 16, VectorSize(featurized, "Features"));
        var features = featurized.GetColumn<float[]>("Features").ToArray();
        Assert.All(features, f => Assert.DoesNotContain(f, float.IsNaN));
        // Row 3 had "?" for price: the mean is filled in and the indicator is set.
        Assert.Equal(1f, features[3][1]);
        Assert.Equal(0f, features[2][1]);
    }

    [Fact]
    public void AZeroOneLabelWithGapsLoadsAsNumbersAndOneBecomesTrue()
    {
        var ml = new MLContext(1);
        var lines = new[] { "x,y" }.Concat(Enumerable.Range(0, 30).Select(i => $"{i % 7},{(i == 5 ? "NA" : i % 3 == 0 ? "1" : "0")}"));
        var columns = ColumnInference.InferColumns(_files.Write("gaps.csv", lines), "y");
        Assert.Equal((DataKind.Single, "1"), (columns.Label.DataKind, columns.PositiveClass));

        var data = columns.LoadData(ml);
        var labels = Featurizer.Build(ml, columns).Fit(data).Transform(data).GetColumn<bool>("Label").ToArray();

        Assert.Equal(Enumerable.Range(0, 30).Where(i => i != 5).Select(i => i % 3 == 0), labels);
    }

    [Fact]
    public void ALabelAlreadyNamedLikeTheOutputIsUsedAsIs()
    {
        var ml = new MLContext(1);
        var lines = new[] { "x,Label" }.Concat(Enumerable.Range(0, 40).Select(i => $"{i % 9},{i * 0.5 + i % 4}"));
        var columns = ColumnInference.InferColumns(_files.Write("named.csv", lines), "Label");

        var featurized = Featurizer.Build(ml, columns).Fit(columns.LoadData(ml)).Transform(columns.LoadData(ml));

        Assert.Equal(NumberDataViewType.Single, featurized.Schema["Label"].Type);
        Assert.Equal(1, VectorSize(featurized, "Features"));
    }

    [Fact]
    public void AResultWithNoFeatureColumnsIsRefused()
    {
        var lines = new[] { "row,label" }.Concat(Enumerable.Range(0, 30).Select(i => $"{i},{i % 2}"));
        var columns = ColumnInference.InferColumns(_files.Write("nofeatures.csv", lines), "label");

        var error = Assert.Throws<ArgumentException>(() => Featurizer.Build(new MLContext(1), columns));

        Assert.Contains("row: unique whole numbers", error.Message);
    }
}
