using static TorchSharp.torch;

namespace Pipelines.Torch.Training;

/// <summary>
/// What differs between tasks inside the training loop: label tensor layout, loss, and the metric.
/// Binary: one logit, log-loss, accuracy. Multiclass: K logits, cross-entropy, accuracy. Regression: one output on a
/// standardized label, mean squared error reported in the label's units, R^2.
/// </summary>
internal sealed class TaskHead
{
    public PredictionKind Kind { get; }
    public int Outputs { get; }
    /// <summary>Regression: the label's standard deviation, to report the loss in the label's units.</summary>
    public double LabelScale { get; init; } = 1;

    public TaskHead(PredictionKind kind, int classCount)
    {
        Kind = kind;
        Outputs = kind == PredictionKind.MulticlassClassification ? classCount : 1;
    }

    public string MetricName => Kind == PredictionKind.Regression ? "RSquared" : "Accuracy";
    public string LossName => Kind switch
    {
        PredictionKind.BinaryClassification => "LogLoss",
        PredictionKind.MulticlassClassification => "CrossEntropy",
        _ => "MeanSquaredError",
    };

    /// <summary>Labels as the loss wants them: int64 [N] for multiclass, float [N, 1] otherwise.</summary>
    public Tensor LabelTensor(float[] labels, Device device)
    {
        using var cpu = Kind == PredictionKind.MulticlassClassification
            ? tensor(labels.Select(v => (long)v).ToArray())
            : tensor(labels, new long[] { labels.Length, 1 });
        return cpu.to(device);
    }

    public Tensor Loss(Tensor output, Tensor target) => Kind switch
    {
        PredictionKind.BinaryClassification => nn.functional.binary_cross_entropy_with_logits(output, target),
        PredictionKind.MulticlassClassification => nn.functional.cross_entropy(output, target),
        _ => nn.functional.mse_loss(output, target),
    };

    /// <summary>Loss and metric of <paramref name="model"/> on a data set, in eval mode, without gradients.</summary>
    public (double Loss, double Metric) Evaluate(nn.Module<Tensor, Tensor> model, Tensor features, Tensor labels, int chunk = 8192)
    {
        long rows = features.shape[0];
        double lossSum = 0, correct = 0, sse = 0, labelSum = 0, labelSqSum = 0;
        using var _ = no_grad();
        for (long start = 0; start < rows; start += chunk)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(chunk, rows - start);
            var x = features.narrow(0, start, n);
            var y = labels.narrow(0, start, n);
            var output = model.forward(x);
            switch (Kind)
            {
                case PredictionKind.BinaryClassification:
                    lossSum += nn.functional.binary_cross_entropy_with_logits(output, y, reduction: nn.Reduction.Sum).item<float>();
                    correct += output.gt(HeldScalars.Zero).eq(y.gt(HeldScalars.Half)).sum().item<long>();
                    break;
                case PredictionKind.MulticlassClassification:
                    lossSum += nn.functional.cross_entropy(output, y, reduction: nn.Reduction.Sum).item<float>();
                    correct += output.argmax(1).eq(y).sum().item<long>();
                    break;
                default:
                    var err = nn.functional.mse_loss(output, y, reduction: nn.Reduction.Sum).item<float>();
                    sse += err;
                    labelSum += y.sum().item<float>();
                    labelSqSum += y.square().sum().item<float>();
                    break;
            }
        }
        if (Kind != PredictionKind.Regression) return (lossSum / rows, correct / rows);
        double mean = labelSum / rows;
        double sst = labelSqSum - rows * mean * mean;
        double r2 = sst > 0 ? 1 - sse / sst : (sse == 0 ? 1 : double.NegativeInfinity);
        return (sse / rows * LabelScale * LabelScale, r2);
    }
}
