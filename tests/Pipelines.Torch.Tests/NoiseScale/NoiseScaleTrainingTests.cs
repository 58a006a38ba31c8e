using Microsoft.ML;
using Pipelines.Torch.Trainers;
using Pipelines.Torch.Training;

namespace Pipelines.Torch.Tests.NoiseScale;

/// <summary>MeasureGradientNoiseScale through the trainer: per-epoch values when on, nothing at all when off.</summary>
public class NoiseScaleTrainingTests
{
    static TrainingReport Train(TorchMlpTrainer.Options options)
    {
        var ml = new MLContext(seed: 1);
        return ml.BinaryClassification.Trainers.TorchMlp(options).Fit(TestData.BreastCancer(ml)).TrainingReport;
    }

    static TorchMlpTrainer.Options Options(bool measure, double share = 1, double dropout = 0) => new()
    {
        Epochs = 4, Seed = 5, BatchSize = 64, NumberOfThreads = 1, ValidationFraction = 0.2,
        MeasureGradientNoiseScale = measure, NoiseScaleTimeShare = share, Dropout = dropout,
    };

    [Fact]
    public void EveryEpochReportsTheNoiseScaleAndItsPartsWhenOn()
    {
        var report = Train(Options(measure: true));
        foreach (var e in report.Epochs)
        {
            Assert.Equal(e.Steps, e.NoiseScaleSteps); // a share of 1 measures every step
            Assert.True(e.GradientVarianceTrace > 0, $"epoch {e.Epoch}: tr(Σ) = {e.GradientVarianceTrace}");
            Assert.NotNull(e.GradientSquaredNorm);
            if (e.GradientSquaredNorm > 0) Assert.Equal(e.GradientVarianceTrace!.Value / e.GradientSquaredNorm.Value, e.GradientNoiseScale!.Value, 9);
        }
        // Early in training the gradient signal is strong: a positive |G|² and a finite B_simple.
        Assert.True(report.Epochs[0].GradientNoiseScale > 0);
        var back = TrainingReport.FromJson(report.ToJson());
        Assert.Equal(report.Epochs.Select(e => e.GradientNoiseScale), back.Epochs.Select(e => e.GradientNoiseScale));
        Assert.Contains("\"GradientVarianceTrace\"", report.ToJson());
    }

    [Fact]
    public void OffMeansNoValuesAndAnUnchangedJson()
    {
        var report = Train(Options(measure: false));
        Assert.All(report.Epochs, e =>
        {
            Assert.Null(e.GradientNoiseScale);
            Assert.Null(e.GradientSquaredNorm);
            Assert.Null(e.GradientVarianceTrace);
            Assert.Null(e.NoiseScaleSteps);
        });
        var json = report.ToJson();
        Assert.DoesNotContain("Gradient", json);
        Assert.DoesNotContain("NoiseScale", json);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.3, 1.0)]
    [InlineData(0.3, 0.05)]
    public void MeasuredStepsTrainExactlyAsOrdinaryStepsDo(double dropout, double share)
    {
        // Which steps are measured depends on timing (a share of the optimization time), so it must not change the
        // weights: a measured step draws no random number the training would and leaves the batch gradient itself.
        var off = Train(Options(measure: false, dropout: dropout));
        var on = Train(Options(measure: true, share, dropout));
        Assert.True(on.Epochs.Sum(e => e.NoiseScaleSteps!.Value) > 0);
        Assert.Equal(off.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)), on.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)));
    }

    [Fact]
    public void ATimeShareMeasuresSomeStepsOnly()
    {
        var report = Train(Options(measure: true, share: 0.02));
        int measured = report.Epochs.Sum(e => e.NoiseScaleSteps!.Value);
        Assert.InRange(measured, 1, report.TotalOptimizerSteps - 1);
    }

    [Theory]
    [InlineData(nameof(TorchTrainerOptions.NoiseScaleMicroBatches))]
    [InlineData(nameof(TorchTrainerOptions.NoiseScaleTimeShare))]
    [InlineData(nameof(TorchTrainerOptions.NoiseScaleSmoothing))]
    public void InvalidNoiseScaleOptionsAreNamed(string option)
    {
        var o = Options(measure: true);
        switch (option)
        {
            case nameof(TorchTrainerOptions.NoiseScaleMicroBatches): o.NoiseScaleMicroBatches = 1; break;
            case nameof(TorchTrainerOptions.NoiseScaleTimeShare): o.NoiseScaleTimeShare = 0; break;
            default: o.NoiseScaleSmoothing = 1; break;
        }
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => o.Validate());
        Assert.Equal(option, e.ParamName);
    }
}
