using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Torch.Training.Optimizers;

/// <summary>
/// Adam (Kingma and Ba 2015) with PyTorch's defaults (betas 0.9 and 0.999, epsilon 1e-8). Weight decay is an L2 term in
/// the gradient (<c>torch.optim.Adam</c>), or, decoupled, <c>p *= 1 - lr * wd</c> before the update (AdamW, Loshchilov
/// and Hutter 2019). Update: <c>m = b1 m + (1 - b1) g</c>, <c>v = b2 v + (1 - b2) g^2</c>,
/// <c>p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)</c>.
/// </summary>
internal sealed class AdamOptimizer : WeightOptimizer
{
    const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    readonly bool _decoupled;
    readonly Scalar _beta1 = Beta1.ToScalar(), _oneMinusBeta1 = (1 - Beta1).ToScalar();
    readonly Scalar _beta2 = Beta2.ToScalar(), _oneMinusBeta2 = (1 - Beta2).ToScalar(), _epsilon = Epsilon.ToScalar();
    readonly Tensor[] _mean, _square;
    long _step;

    public AdamOptimizer(IReadOnlyList<Parameter> parameters, double learningRate, double weightDecay, bool decoupledWeightDecay)
        : base(parameters, learningRate, weightDecay)
    {
        _decoupled = decoupledWeightDecay;
        _mean = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _square = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    protected override void BeginStep() => _step++;

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        if (_decoupled)
        {
            using var keep = (1 - LearningRate * WeightDecay).ToScalar();
            if (WeightDecay != 0) parameter.mul_(keep);
        }
        else grad = WithL2(grad, parameter);
        Tensor m = _mean[index], v = _square[index];
        m.mul_(_beta1).add_(grad, _oneMinusBeta1);
        v.mul_(_beta2).addcmul_(grad, grad, _oneMinusBeta2);
        using var correction2 = Math.Sqrt(1 - Math.Pow(Beta2, _step)).ToScalar();
        using var stepSize = (-LearningRate / (1 - Math.Pow(Beta1, _step))).ToScalar();
        var denominator = v.sqrt().div_(correction2).add_(_epsilon, One);
        parameter.addcdiv_(m, denominator, stepSize);
    }

    public override void Dispose()
    {
        foreach (var t in _mean.Concat(_square)) t.Dispose();
        foreach (var s in new[] { _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _epsilon }) s.Dispose();
        base.Dispose();
    }
}
