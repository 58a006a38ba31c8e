using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Torch.Networks;

/// <summary>
/// Inverted dropout whose masks come from the trainer's own generator. TorchSharp's <c>nn.Dropout</c> draws from
/// the process-wide generator, so two trainings running at once (parallel AutoML trials, parallel tests) would
/// interleave their random streams and neither would be reproducible under its seed.
/// </summary>
internal sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    readonly double _probability;
    // Held for the module's life: a temporary scalar can be freed under LibTorch (see HeldScalars).
    readonly Scalar _probabilityScalar, _keptShare;
    readonly Generator _cpuGenerator;
    Generator? _deviceGenerator;

    public SeededDropout(double probability, Generator generator) : base(nameof(SeededDropout))
    {
        if (probability is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(probability), probability, "must be in [0, 1)");
        _probability = probability;
        (_probabilityScalar, _keptShare) = (probability.ToScalar(), (1 - probability).ToScalar());
        _cpuGenerator = generator;
    }

    public override Tensor forward(Tensor input)
    {
        if (!training || _probability == 0) return input.alias();
        using var scope = NewDisposeScope();
        using var uniform = rand(input.shape, dtype: input.dtype, device: input.device, generator: GeneratorFor(input.device));
        var kept = uniform.ge(_probabilityScalar);
        return input.mul(kept).div_(_keptShare).MoveToOuterDisposeScope();
    }

    // A CPU generator cannot fill a CUDA tensor: the first CUDA forward seeds a generator there from the CPU stream,
    // which keeps the run deterministic under the seed.
    Generator GeneratorFor(Device device)
    {
        if (device.type == DeviceType.CPU) return _cpuGenerator;
        if (_deviceGenerator is null)
        {
            using var seed = randint(0, long.MaxValue, new long[] { 1 }, dtype: int64, generator: _cpuGenerator);
            _deviceGenerator = new Generator((ulong)seed.item<long>(), device);
        }
        return _deviceGenerator;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _deviceGenerator?.Dispose();
        base.Dispose(disposing);
    }
}
