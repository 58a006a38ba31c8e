using System.Text.Json;
using Microsoft.ML.SearchSpace;
using Pipelines.AutoML.SearchSpaces;

namespace Pipelines.AutoML.Tests.SearchSpaces;

public class SearchSpaceTests
{
    public sealed class MicrosoftStyleOptions
    {
        [Range(1e-5, 1e-1, 1e-3, true)] public double LearningRate { get; set; }
        [Range(2, 128, 16, true)] public int NumberOfLeaves { get; set; }
        [Range(0f, 0.5f, 0.1f, false)] public float Dropout { get; set; }
        [Choice(new object[] { "relu", "gelu", "tanh" }, "gelu")] public string Activation { get; set; } = "";
        [BooleanChoice(true)] public bool Shuffle { get; set; }
        [NestOption] public InnerOptions Inner { get; set; } = new();
        public int NotTuned { get; set; } = 7;
    }

    public sealed class InnerOptions
    {
        [Range(1, 4)] public int Depth { get; set; }
    }

    [Fact]
    public void SpaceFromAnnotatedOptionsSamplesAndBindsBack()
    {
        var space = SearchSpaceBuilder.FromOptions<MicrosoftStyleOptions>();
        Assert.Equal(new[] { "LearningRate", "NumberOfLeaves", "Dropout", "Activation", "Shuffle", "Inner" }, space.Names);
        Assert.Equal(6, space.FeatureSpaceDimension);
        var defaults = space.Default.AsType<MicrosoftStyleOptions>();
        Assert.Equal(1e-3, defaults.LearningRate, 9);
        Assert.Equal(16, defaults.NumberOfLeaves);
        Assert.Equal("gelu", defaults.Activation);
        Assert.True(defaults.Shuffle);
        Assert.InRange(defaults.Inner.Depth, 1, 4);

        var rng = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            var p = space.SampleFromFeatureSpace(Enumerable.Range(0, 6).Select(_ => rng.NextDouble()).ToArray());
            var o = p.AsType<MicrosoftStyleOptions>();
            Assert.InRange(o.LearningRate, 1e-5, 1e-1);
            Assert.InRange(o.NumberOfLeaves, 2, 128);
            Assert.InRange(o.Dropout, 0f, 0.5f);
            Assert.Contains(o.Activation, new[] { "relu", "gelu", "tanh" });
            // Sampling the mapped point gives the same parameter back.
            Assert.Equal(p, space.SampleFromFeatureSpace(space.MappingToFeatureSpace(p)));
        }
    }

    public sealed class SnakeCaseOptions
    {
        [System.Text.Json.Serialization.JsonPropertyName("batch_size"), PowerOfTwoRange(16, 256, 32)] public int BatchSize { get; set; }
        [System.Text.Json.Serialization.JsonPropertyName("learning_rate"), Range(1e-4, 1e-1, 1e-2, true)] public double LearningRate { get; set; }
    }

    [Fact]
    public void JsonNamesAreTheKeysAndPowersOfTwoAreTheirOwnGrid()
    {
        var space = SearchSpaceBuilder.FromOptions<SnakeCaseOptions>();
        Assert.Equal(new[] { "batch_size", "learning_rate" }, space.Names);
        var batch = Assert.IsType<NumericSpace>(space["batch_size"]);
        Assert.True(batch.PowerOfTwo);
        Assert.Equal((16.0, 256.0, 32.0), (batch.Min, batch.Max, batch.DefaultValue!.Value));
        var bound = space.SampleFromFeatureSpace(new[] { 0.99, 0.0 }).AsType<SnakeCaseOptions>();
        Assert.Equal((256, 1e-4), (bound.BatchSize, Math.Round(bound.LearningRate, 10)));
        Assert.Equal(32, space.Default.AsType<SnakeCaseOptions>().BatchSize);
    }

    [Fact]
    public void PowerOfTwoBatchSizesCoverTheGridEvenly()
    {
        var space = new SearchSpaceBuilder().PowerOfTwo("batch_size", 16, 1024).Build();
        var counts = new Dictionary<int, int>();
        for (int i = 0; i < 7000; i++)
        {
            int b = space.SampleFromFeatureSpace(new[] { (i + 0.5) / 7000 })["batch_size"].AsInt();
            counts[b] = counts.GetValueOrDefault(b) + 1;
        }
        Assert.Equal(new[] { 16, 32, 64, 128, 256, 512, 1024 }, counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.Equal(1000, c));
    }

    [Fact]
    public void JsonRoundTripsInMicrosoftsFormat()
    {
        var space = new SearchSpaceBuilder()
            .PowerOfTwo("batch_size", 16, 1024, 64)
            .Int("epochs", 5, 200)
            .Double("learning_rate", 1e-5, 1e-1, logBase: true, defaultValue: 1e-3)
            .Choice("optimizer", "adam", "adamw", "sgd")
            .Add("trainer", new OneOfSpace(new Dictionary<string, SearchSpace>
            {
                ["fasttree"] = new SearchSpaceBuilder().Int("leaves", 4, 128, logBase: true).Build(),
                ["linear"] = new SearchSpaceBuilder().Float("l2", 1e-4f, 1f, logBase: true).Build(),
            }))
            .Build();
        var json = space.ToJson();
        using (var doc = JsonDocument.Parse(json))
        {
            var lr = doc.RootElement.GetProperty("learning_rate");
            Assert.Equal("double", lr.GetProperty("type").GetString());
            Assert.True(lr.GetProperty("log_base").GetBoolean());
            Assert.Equal(1e-5, lr.GetProperty("min").GetDouble());
            Assert.Equal("adam", doc.RootElement.GetProperty("optimizer").GetProperty("default").GetString());
        }
        var back = SearchSpace.FromJson(json);
        Assert.Equal(json, back.ToJson());
        var rng = new Random(2);
        for (int i = 0; i < 50; i++)
        {
            var f = Enumerable.Range(0, space.FeatureSpaceDimension).Select(_ => rng.NextDouble()).ToArray();
            var p = space.SampleFromFeatureSpace(f);
            Assert.Equal(p, back.SampleFromFeatureSpace(f));
            Assert.Equal(p, Parameter.FromJson(p.ToJson()));
        }
    }

    [Theory]
    [InlineData("{\"x\":{\"type\":\"int\",\"min\":10,\"max\":1}}", "greater than max")]
    [InlineData("{\"x\":{\"type\":\"double\",\"min\":0,\"max\":1,\"log_base\":true}}", "min > 0")]
    [InlineData("{\"x\":{\"choices\":[]}}", "at least one value")]
    [InlineData("{\"x\":{\"type\":\"complex\",\"min\":0,\"max\":1}}", "not int, float or double")]
    [InlineData("{\"a\":{\"b\":{\"type\":\"int\",\"min\":0,\"max\":1,\"default\":5}}}", "$.a.b")]
    public void BadSpacesFailWithAClearMessage(string json, string expected)
    {
        var e = Assert.Throws<JsonException>(() => SearchSpace.FromJson(json));
        Assert.Contains(expected, e.Message);
    }

    public sealed class Empty { public int X { get; set; } }

    [Fact]
    public void AnOptionsClassWithNothingToTuneIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => SearchSpaceBuilder.FromOptions<Empty>());
        Assert.Contains("empty", e.Message);
    }
}
