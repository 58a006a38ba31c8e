using Pipelines.Torch.Trainers;
using Pipelines.Torch.Training;
using Pipelines.Torch.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Torch.Tests;

/// <summary>
/// Our optimizers replace TorchSharp's (whose temporary scalars a garbage collection can free under LibTorch); they must
/// take the same steps as TorchSharp's, which follow PyTorch's definitions.
/// </summary>
public class OptimizerTests
{
    public static TheoryData<OptimizerKind, double, double, bool> Cases => new()
    {
        { OptimizerKind.Sgd, 0.9, 0, false },
        { OptimizerKind.Sgd, 0.9, 1e-2, true },
        { OptimizerKind.Sgd, 0, 1e-2, false },
        { OptimizerKind.Adam, 0, 0, false },
        { OptimizerKind.Adam, 0, 1e-2, false },
        { OptimizerKind.AdamW, 0, 1e-1, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void StepsMatchTorchSharpsOptimizer(OptimizerKind kind, double momentum, double weightDecay, bool nesterov)
    {
        var options = new TorchMlpTrainer.Options { Optimizer = kind, Momentum = momentum, WeightDecay = weightDecay, Nesterov = nesterov };
        var (ours, theirs) = (Network(), Network());
        var oursParameters = ours.parameters().ToList();
        var theirsParameters = theirs.parameters().ToList();
        using var optimizer = WeightOptimizer.Create(options, oursParameters, 0.05);
        using var reference = kind switch
        {
            OptimizerKind.Sgd => optim.SGD(theirsParameters, 0.05, momentum: momentum, weight_decay: weightDecay, nesterov: nesterov),
            OptimizerKind.Adam => (optim.Optimizer)optim.Adam(theirsParameters, 0.05, weight_decay: weightDecay),
            _ => optim.AdamW(theirsParameters, 0.05, weight_decay: weightDecay),
        };
        var generator = new Generator(7);
        for (int step = 0; step < 25; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn(new long[] { 16, 5 }, generator: generator);
            var y = randn(new long[] { 16, 1 }, generator: generator);
            double rate = 0.05 * (1 + Math.Cos(step / 5.0)) / 2 + 1e-3; // a rate that changes every step, as a schedule does
            optimizer.LearningRate = rate;
            foreach (var group in reference.ParamGroups) group.LearningRate = rate;
            optimizer.ZeroGrad();
            reference.zero_grad();
            nn.functional.mse_loss(ours.forward(x), y).backward();
            nn.functional.mse_loss(theirs.forward(x), y).backward();
            optimizer.Step();
            reference.step();
        }
        for (int i = 0; i < oursParameters.Count; i++)
        {
            using var difference = (oursParameters[i] - theirsParameters[i]).abs().max();
            Assert.True(difference.item<float>() < 1e-5f, $"parameter {i} differs by {difference.item<float>()}");
        }
        using var moved = (oursParameters[0] - Network().parameters().First()).abs().max();
        Assert.True(moved.item<float>() > 1e-2f, "the steps moved the weights");
    }

    static Sequential Network()
    {
        manual_seed(3);
        return nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 1));
    }
}
