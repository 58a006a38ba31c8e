using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Torch.NoiseScale;

/// <summary>The squared gradient norms one measured step yields, at its micro-batch size and at its whole batch.</summary>
internal readonly record struct GradientNorms(double SmallSquaredNorm, double SmallBatch, double BigSquaredNorm, double BigBatch);

/// <summary>
/// The backward pass of a measured step: the batch is split into micro-batches of (nearly) equal size, each
/// micro-batch's gradient is computed on its own (<c>autograd.grad</c>, so nothing accumulates in between) and its
/// squared norm taken, and their size-weighted mean, which is the gradient of the batch's mean loss, is left in each
/// parameter's <c>grad</c> for the optimizer, as an ordinary backward pass would leave it. Only the extra forward
/// passes and norms cost time. With batch normalization the measured step normalizes over micro-batches.
/// </summary>
internal sealed class MicroBatchBackward
{
    readonly List<Tensor> _parameters;
    readonly int _microBatches;

    public MicroBatchBackward(IEnumerable<Tensor> parameters, int microBatches)
    {
        if (microBatches < 2) throw new ArgumentOutOfRangeException(nameof(microBatches), microBatches, "must be at least 2");
        _parameters = parameters.ToList();
        _microBatches = microBatches;
    }

    /// <summary>Whether a batch of <paramref name="rows"/> can be split (two micro-batches of one example at least).</summary>
    public static bool CanSplit(long rows) => rows >= 2;

    /// <summary>
    /// Computes the step's gradient into the parameters' <c>grad</c> (replacing what was there) and returns the norms.
    /// <paramref name="loss"/> maps a micro-batch's features and labels to its mean loss.
    /// </summary>
    public GradientNorms Backward(Tensor features, Tensor labels, Func<Tensor, Tensor, Tensor> loss)
    {
        long rows = features.shape[0];
        if (!CanSplit(rows)) throw new ArgumentOutOfRangeException(nameof(features), rows, "a measured step needs at least 2 rows");
        int parts = (int)Math.Min(_microBatches, rows);
        using var scope = NewDisposeScope();
        Tensor[]? mean = null;
        Tensor? smallSum = null;
        double inverseSizes = 0;
        long start = 0;
        for (int i = 0; i < parts; i++)
        {
            long size = rows / parts + (i < rows % parts ? 1 : 0);
            var microLoss = loss(features.narrow(0, start, size), labels.narrow(0, start, size));
            var gradients = autograd.grad(new[] { microLoss }, _parameters);
            var squared = SquaredNorm(gradients);
            smallSum = smallSum is null ? squared : smallSum.add_(squared, HeldScalars.One);
            using Scalar weight = ((double)size / rows).ToScalar();
            if (mean is null) mean = gradients.Select(g => g.mul(weight)).ToArray();
            else for (int k = 0; k < mean.Length; k++) mean[k].add_(gradients[k], weight);
            inverseSizes += 1.0 / size;
            start += size;
        }
        // The harmonic mean of the sizes: E|g_i|² = |G|² + tr(Σ)/b_i averages to |G|² + tr(Σ) · mean(1/b_i).
        double smallBatch = parts / inverseSizes;
        double small = smallSum!.item<float>() / (double)parts;
        double big = SquaredNorm(mean!).item<float>();
        for (int k = 0; k < _parameters.Count; k++) _parameters[k].grad = mean![k];
        return new GradientNorms(small, smallBatch, big, rows);
    }

    static Tensor SquaredNorm(IEnumerable<Tensor> gradients)
    {
        Tensor? total = null;
        foreach (var g in gradients)
        {
            var flat = g.reshape(-1);
            var squared = flat.dot(flat);
            total = total is null ? squared : total.add_(squared, HeldScalars.One);
        }
        return total ?? zeros(1);
    }
}
