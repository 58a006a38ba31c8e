using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Tuners;

namespace Pipelines.AutoML.Tests.Tuners;

public class LogCostModelTests
{
    [Fact]
    public void RecoversALogLinearCostFromTheCube()
    {
        // Training time = epochs x rows / throughput: a product, so its log is linear in log-scaled coordinates.
        var space = new SearchSpaceBuilder()
            .Int("epochs", 1, 100, logBase: true)
            .PowerOfTwo("batch_size", 16, 1024)
            .Double("learning_rate", 1e-4, 1e-1, logBase: true)
            .Build();
        double Seconds(Parameter p) => 0.05 * p["epochs"].AsInt() * Math.Pow(64.0 / p["batch_size"].AsInt(), 0.7);
        var random = new Random(1);
        var points = new List<double[]>();
        var seconds = new List<double>();
        for (int i = 0; i < 60; i++)
        {
            var p = space.SampleFromFeatureSpace(new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() });
            points.Add(space.MappingToFeatureSpace(p));
            seconds.Add(Seconds(p));
        }
        var model = new LogCostModel(UnitCube.Describe(space), points, seconds);
        Assert.Equal(60, model.Observations);

        var cheap = space.MappingToFeatureSpace(Parameter.FromJson("""{"epochs": 2, "batch_size": 512, "learning_rate": 0.01}"""));
        var slow = space.MappingToFeatureSpace(Parameter.FromJson("""{"epochs": 80, "batch_size": 16, "learning_rate": 0.01}"""));
        double trueRatio = Math.Log((0.05 * 80 * Math.Pow(4, 0.7)) / (0.05 * 2 * Math.Pow(64.0 / 512, 0.7)));
        double predictedRatio = model.PredictLogSeconds(slow) - model.PredictLogSeconds(cheap);
        // The ridge shrinks the slopes a little; the ratio of costs must still be right within 15% in log.
        Assert.InRange(predictedRatio, 0.85 * trueRatio, 1.05 * trueRatio);
    }

    [Fact]
    public void GivesEachOptionOfAConditionalSpaceItsOwnLevel()
    {
        var space = TunerTestKit.ConditionalSpace();
        var random = new Random(2);
        var points = new List<double[]>();
        var seconds = new List<double>();
        for (int i = 0; i < 90; i++)
        {
            var p = space.SampleFromFeatureSpace(Enumerable.Range(0, space.FeatureSpaceDimension).Select(_ => random.NextDouble()).ToArray());
            points.Add(space.MappingToFeatureSpace(p));
            seconds.Add(p[OneOfSpace.OptionKey].AsString() switch { "mlp" => 100, "trees" => 10, _ => 1 });
        }
        var model = new LogCostModel(UnitCube.Describe(space), points, seconds);
        double Predict(int index) => model.PredictLogSeconds(points[index]);
        int mlp = points.FindIndex(p => space.SampleFromFeatureSpace(p)[OneOfSpace.OptionKey].AsString() == "mlp");
        int trees = points.FindIndex(p => space.SampleFromFeatureSpace(p)[OneOfSpace.OptionKey].AsString() == "trees");
        int linear = points.FindIndex(p => space.SampleFromFeatureSpace(p)[OneOfSpace.OptionKey].AsString() == "linear");
        Assert.InRange(Math.Exp(Predict(mlp)), 60, 160);
        Assert.InRange(Math.Exp(Predict(trees)), 6, 16);
        Assert.InRange(Math.Exp(Predict(linear)), 0.6, 1.6);
    }

    [Fact]
    public void SkipsDurationsThatAreNotPositiveAndFinite()
    {
        var space = new SearchSpaceBuilder().Double("x", 0, 1).Build();
        var points = new List<double[]> { new[] { 0.1 }, new[] { 0.5 }, new[] { 0.9 }, new[] { 0.3 } };
        var model = new LogCostModel(UnitCube.Describe(space), points, new[] { 2.0, 0.0, double.NaN, double.PositiveInfinity });
        Assert.Equal(1, model.Observations);
        Assert.Equal(Math.Log(2), model.PredictLogSeconds(new[] { 0.7 }), 9);
    }
}
