using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Torch.Networks;

/// <summary>
/// A fully connected network: Linear -> activation (-> dropout) for each hidden layer, then a Linear output layer.
/// Inputs are expected already standardized; <see cref="Standardization"/> travels beside the network.
/// </summary>
internal sealed class MlpNetwork : nn.Module<Tensor, Tensor>
{
    public const double LeakyReluSlope = 0.01;
    static readonly Scalar HeldSlope = LeakyReluSlope.ToScalar(); // a temporary scalar can be freed under LibTorch (HeldScalars)

    readonly ModuleList<Linear> _layers = new();
    readonly SeededDropout? _dropout;
    readonly Func<Tensor, Tensor> _activation;

    public Activation Activation { get; }
    public IReadOnlyList<Linear> Layers => _layers.ToList();

    public MlpNetwork(int inputs, IReadOnlyList<int> hidden, int outputs, Activation activation, double dropout, Generator generator)
        : base(nameof(MlpNetwork))
    {
        int previous = inputs;
        foreach (var width in hidden.Append(outputs))
        {
            _layers.Add(SeededInit.Linear(previous, width, generator));
            previous = width;
        }
        if (dropout > 0) _dropout = new SeededDropout(dropout, generator);
        Activation = activation;
        _activation = activation switch
        {
            Activation.ReLU => x => nn.functional.relu(x),
            Activation.GELU => x => nn.functional.gelu(x),
            Activation.Tanh => x => x.tanh(),
            Activation.SiLU => x => nn.functional.silu(x),
            Activation.LeakyReLU => x => x.leaky_relu(HeldSlope),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
        };
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = input;
        int last = _layers.Count - 1;
        for (int i = 0; i < last; i++)
        {
            x = _activation(_layers[i].forward(x));
            if (_dropout != null) x = _dropout.forward(x);
        }
        return _layers[last].forward(x);
    }
}
