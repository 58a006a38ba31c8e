using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Torch.Training.Optimizers;

/// <summary>
/// The weight update of a training run: SGD, Adam and AdamW as PyTorch defines them. They are written here rather than
/// taken from TorchSharp (0.107) because TorchSharp's optimizers hand LibTorch temporary <see cref="Scalar"/>s (the
/// <c>alpha</c> of <c>add_</c>, made from a double) that nothing keeps reachable during the native call: a garbage
/// collection started by another thread can finalize such a scalar while LibTorch reads it, which then reads freed
/// memory (seen on a loaded CI machine as "Expected false to be true ... toFloat" from <c>Adam.step</c>). Every scalar
/// passed from here lives in a field or a <c>using</c> that ends after the call.
/// </summary>
internal abstract class WeightOptimizer : IDisposable
{
    protected readonly IReadOnlyList<Parameter> Parameters;
    /// <summary>1, for the calls whose TorchSharp overload without a scale would make a temporary scalar of it.</summary>
    protected readonly Scalar One = 1.0.ToScalar();
    readonly Scalar _weightDecay;
    protected readonly double WeightDecay;

    protected WeightOptimizer(IReadOnlyList<Parameter> parameters, double learningRate, double weightDecay)
    {
        Parameters = parameters;
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        _weightDecay = weightDecay.ToScalar();
    }

    /// <summary>The rate of the next step; the training loop sets it from its plan before every step.</summary>
    public double LearningRate { get; set; }

    public static WeightOptimizer Create(TorchTrainerOptions o, IReadOnlyList<Parameter> parameters, double learningRate) => o.Optimizer switch
    {
        OptimizerKind.Sgd => new SgdOptimizer(parameters, learningRate, o.WeightDecay, o.Momentum, o.Nesterov),
        OptimizerKind.Adam => new AdamOptimizer(parameters, learningRate, o.WeightDecay, decoupledWeightDecay: false),
        OptimizerKind.AdamW => new AdamOptimizer(parameters, learningRate, o.WeightDecay, decoupledWeightDecay: true),
        _ => throw new ArgumentOutOfRangeException(nameof(o.Optimizer), o.Optimizer, null),
    };

    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            using var grad = p.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient, without recording it for autograd.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        BeginStep();
        for (int i = 0; i < Parameters.Count; i++)
        {
            var grad = Parameters[i].grad;
            if (grad is not null) Update(i, Parameters[i], grad);
        }
    }

    protected virtual void BeginStep() { }

    /// <summary>Updates parameter <paramref name="index"/> from its gradient; tensors made here belong to the step's dispose scope.</summary>
    protected abstract void Update(int index, Parameter parameter, Tensor grad);

    /// <summary>The gradient with the L2 term <c>weight_decay * p</c> added (a new tensor), or the gradient itself without decay.</summary>
    protected Tensor WithL2(Tensor grad, Parameter parameter) => WeightDecay == 0 ? grad : grad.add(parameter, _weightDecay);

    public virtual void Dispose()
    {
        _weightDecay.Dispose();
        One.Dispose();
    }
}
