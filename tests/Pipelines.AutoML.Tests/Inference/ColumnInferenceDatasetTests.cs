using Microsoft.ML.Data;
using Pipelines.AutoML.Inference;
using Pipelines.Torch.Data;

namespace Pipelines.AutoML.Tests.Inference;

/// <summary>Inference on the real datasets in datasets/: layout, roles and task.</summary>
public class ColumnInferenceDatasetTests
{
    static InferredColumn Column(ColumnInferenceResult result, string name) => result.Columns.Single(c => c.Name == name);

    [Fact]
    public void AdultHasNumericAndCategoricalColumnsAndABinaryBooleanLabel()
    {
        var result = DataFiles.Infer("adult.csv", "label");

        Assert.Equal(',', result.Separator);
        Assert.True(result.HasHeader);
        Assert.Equal(32561, result.DataRowCount);
        Assert.Equal(10000, result.SampledRowCount);
        Assert.Equal(PredictionKind.BinaryClassification, result.Task);
        Assert.Equal(DataKind.Boolean, result.Label.DataKind);
        Assert.Equal("label", result.Label.Name);
        Assert.Equal(new[] { "false", "true" }, result.LabelClasses);

        var numeric = new[] { "age", "fnlwgt", "education_num", "capital_gain", "capital_loss", "hours_per_week" };
        var categorical = new[] { "workclass", "education", "marital_status", "occupation", "relationship", "ethnicity", "sex", "native_country" };
        Assert.Equal(numeric, result.ColumnsWithRole(ColumnRole.Numeric).Select(c => c.Name));
        Assert.Equal(categorical, result.ColumnsWithRole(ColumnRole.Categorical).Select(c => c.Name));
        Assert.All(numeric, n => Assert.Equal(DataKind.Single, Column(result, n).DataKind));
        Assert.Empty(result.ColumnsWithRole(ColumnRole.Ignore));

        // '?' is counted as missing; about 5.6% of workclass and 1.8% of native_country in the sample.
        Assert.InRange(Column(result, "workclass").MissingCount, 450, 680);
        Assert.InRange(Column(result, "native_country").MissingCount, 100, 260);
        Assert.Equal(0, Column(result, "age").MissingCount);
        Assert.Equal(16, Column(result, "education").Cardinality);
        Assert.Equal(2, Column(result, "sex").Cardinality);
    }

    [Fact]
    public void BreastCancerHasThirtyNumericFeaturesAndABooleanLabel()
    {
        var result = DataFiles.Infer("breast-cancer.csv", "label");

        Assert.Equal(30, result.ColumnsWithRole(ColumnRole.Numeric).Count());
        Assert.Equal(30, result.FeatureColumns.Count());
        Assert.Equal(PredictionKind.BinaryClassification, result.Task);
        Assert.Equal(DataKind.Boolean, result.Label.DataKind);
        Assert.Equal("true", result.PositiveClass);
    }

    [Theory]
    [InlineData("iris.csv", "species", 4, new[] { "setosa", "versicolor", "virginica" })]
    [InlineData("wine.csv", "class", 13, new[] { "class_0", "class_1", "class_2" })]
    public void IrisAndWineHaveAMulticlassStringLabel(string file, string label, int features, string[] classes)
    {
        var result = DataFiles.Infer(file, label);

        Assert.Equal(PredictionKind.MulticlassClassification, result.Task);
        Assert.Equal(DataKind.String, result.Label.DataKind);
        Assert.Equal(classes, result.LabelClasses);
        Assert.Equal(features, result.ColumnsWithRole(ColumnRole.Numeric).Count());
    }

    [Fact]
    public void DigitsHasANumericMulticlassLabelAndConstantPixelsAreIgnored()
    {
        var result = DataFiles.Infer("digits.csv", "digit");

        Assert.Equal(PredictionKind.MulticlassClassification, result.Task);
        Assert.Equal(DataKind.Single, result.Label.DataKind);
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), result.LabelClasses);
        var ignored = result.ColumnsWithRole(ColumnRole.Ignore).ToList();
        Assert.Equal(new[] { "pixel0", "pixel32", "pixel39" }, ignored.Select(c => c.Name));
        Assert.All(ignored, c => Assert.Equal(IgnoreReason.Constant, c.IgnoreReason));
        Assert.Equal(61, result.ColumnsWithRole(ColumnRole.Numeric).Count());
    }

    [Theory]
    [InlineData("concrete.csv", "compressive_strength", 8)]
    [InlineData("diabetes.csv", "target", 10)]
    public void ConcreteAndDiabetesAreRegression(string file, string label, int features)
    {
        var result = DataFiles.Infer(file, label);

        Assert.Equal(PredictionKind.Regression, result.Task);
        Assert.Equal(DataKind.Single, result.Label.DataKind);
        Assert.Equal(features, result.ColumnsWithRole(ColumnRole.Numeric).Count());
    }

    [Fact]
    public void TheInferredLoaderReadsTheFile()
    {
        var ml = new Microsoft.ML.MLContext(1);
        var result = DataFiles.Infer("adult.csv", "label");

        var data = result.LoadData(ml);
        var ages = data.GetColumn<float>("age").Take(3).ToArray();
        var workclass = data.GetColumn<string>("workclass").Take(2).ToArray();

        Assert.Equal(new[] { 39f, 50f, 38f }, ages);
        Assert.Equal(new[] { "State-gov", "Self-emp-not-inc" }, workclass);
        Assert.Equal(32561, data.GetColumn<bool>("label").Count());
    }
}
