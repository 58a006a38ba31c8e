using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Torch.Networks;

/// <summary>
/// PyTorch's default initialization of Linear and Conv layers, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias,
/// drawn from the trainer's own generator so that concurrent trainings in one process do not share random state.
/// </summary>
internal static class SeededInit
{
    public static void Uniform(Tensor parameter, long fanIn, Generator generator)
    {
        double bound = 1.0 / Math.Sqrt(fanIn);
        using var _ = no_grad();
        using var values = rand(parameter.shape, generator: generator);
        parameter.copy_(values.mul_(2 * bound).sub_(bound));
    }

    /// <summary>A Linear layer initialized from <paramref name="generator"/>.</summary>
    public static Linear Linear(int inputs, int outputs, Generator generator)
    {
        var layer = nn.Linear(inputs, outputs);
        Uniform(layer.weight!, inputs, generator);
        Uniform(layer.bias!, inputs, generator);
        return layer;
    }
}
