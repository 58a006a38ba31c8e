using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Torch.Training.Optimizers;

/// <summary>
/// SGD as <c>torch.optim.SGD</c> without dampening: <c>g += wd * p</c>; with momentum <c>b = m * b + g</c> (b = g at the
/// first step) and <c>g = b</c>, or <c>g += m * b</c> for Nesterov; then <c>p -= lr * g</c>.
/// </summary>
internal sealed class SgdOptimizer : WeightOptimizer
{
    readonly double _momentum;
    readonly bool _nesterov;
    readonly Scalar _momentumScalar;
    readonly Tensor?[] _buffers;

    public SgdOptimizer(IReadOnlyList<Parameter> parameters, double learningRate, double weightDecay, double momentum, bool nesterov)
        : base(parameters, learningRate, weightDecay)
    {
        (_momentum, _nesterov) = (momentum, nesterov);
        _momentumScalar = momentum.ToScalar();
        _buffers = new Tensor?[parameters.Count];
    }

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        grad = WithL2(grad, parameter);
        if (_momentum != 0)
        {
            var buffer = _buffers[index];
            if (buffer is null) _buffers[index] = buffer = grad.detach().clone().DetachFromDisposeScope();
            else buffer.mul_(_momentumScalar).add_(grad, One);
            grad = _nesterov ? grad.add(buffer, _momentumScalar) : buffer;
        }
        using var step = (-LearningRate).ToScalar();
        parameter.add_(grad, step);
    }

    public override void Dispose()
    {
        foreach (var b in _buffers) b?.Dispose();
        _momentumScalar.Dispose();
        base.Dispose();
    }
}
