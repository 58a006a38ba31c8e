using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Torch.Networks;

/// <summary>
/// 2-D batch normalization exactly as <c>nn.BatchNorm2d</c> (the same parameters and buffers under the same names, so
/// saved weights load either way), except that it counts its training batches with a held scalar: TorchSharp's
/// forward adds a temporary 1 to <c>num_batches_tracked</c>, which a garbage collection can free under LibTorch
/// (<see cref="HeldScalars"/>).
/// </summary>
internal sealed class CountingBatchNorm2d(long features, double epsilon)
    : BatchNorm(features, epsilon, momentum: 0.1, affine: true, track_running_stats: true, device: null, dtype: null, name: "BatchNorm2d")
{
    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != 4) throw new ArgumentException($"expected 4D input, but got {input.ndim}D input.");
    }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        if (training) num_batches_tracked?.add_(HeldScalars.One, HeldScalars.One);
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, momentum ?? 0.1, eps);
    }
}
