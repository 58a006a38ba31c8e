using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Bench;

/// <summary>
/// The leanest hand-written TorchSharp loop for the trainer's network (docs/architecture.md, "The training loop"): Linear-ReLU-Linear-ReLU-
/// Linear, Adam, features standardized once up front, one shuffle per epoch (randperm + index_select), then
/// <c>narrow</c> views per step inside a dispose scope. No learning-rate schedule, no evaluation, no reports:
/// the fair lower bound on per-step overhead that the trainer is compared with. With the trainer's seed it starts from
/// the trainer's initial weights and draws the same shuffles, so the two train the same numbers.
/// </summary>
static class HandWrittenLoop
{
    /// <summary>Trains for <paramref name="epochs"/> epochs; returns each epoch's training samples per second.</summary>
    public static double[] Run(BenchDataset data, int[] hidden, int batchSize, int epochs, double learningRate, int threads, int seed)
    {
        torch.set_num_threads(threads);
        var generator = new Generator((ulong)seed);
        int rows = data.Rows, batch = Math.Min(batchSize, rows);
        // Same weights and shuffles as the trainer with the same seed (see Mlp), so both sides do the same arithmetic and
        // only their overhead differs (the speed of CPU kernels can depend on the values, e.g. on subnormal floats).
        using var model = new Mlp(data.Dimension, hidden, data.IsBinary ? 1 : data.Classes, generator);
        randperm(rows, generator: generator).Dispose(); // the trainer draws its fixed train-evaluation sample here

        using var x = tensor(Standardize(data), new long[] { rows, data.Dimension });
        using var y = data.IsBinary
            ? tensor(data.Labels, new long[] { rows, 1 })
            : tensor(data.Labels.Select(v => (long)v).ToArray());
        // A materialized list: a lazy model.parameters() would be re-enumerated by zero_grad and step at every step.
        using var optimizer = optim.Adam(model.parameters().ToList(), learningRate);
        Func<Tensor, Tensor, Tensor> loss = data.IsBinary
            ? (o, t) => nn.functional.binary_cross_entropy_with_logits(o, t)
            : (o, t) => nn.functional.cross_entropy(o, t);

        var samplesPerSecond = new double[epochs];
        model.train();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var watch = Stopwatch.StartNew();
            using (var order = randperm(rows, generator: generator))
            using (var xs = x.index_select(0, order))
            using (var ys = y.index_select(0, order))
            {
                for (int start = 0; start < rows; start += batch)
                {
                    using var scope = NewDisposeScope();
                    int n = Math.Min(batch, rows - start);
                    var output = model.forward(xs.narrow(0, start, n));
                    var l = loss(output, ys.narrow(0, start, n));
                    optimizer.zero_grad();
                    l.backward();
                    optimizer.step();
                }
            }
            samplesPerSecond[epoch] = rows / watch.Elapsed.TotalSeconds;
        }
        return samplesPerSecond;
    }

    /// <summary>Per-feature (x - mean) / sd with the population sd, as the trainer's standardization does.</summary>
    static float[] Standardize(BenchDataset data)
    {
        int d = data.Dimension;
        var result = new float[data.Features.Length];
        for (int j = 0; j < d; j++)
        {
            double sum = 0, sumSq = 0;
            for (int r = 0; r < data.Rows; r++) { double v = data.Features[r * d + j]; sum += v; sumSq += v * v; }
            double mean = sum / data.Rows, sd = Math.Sqrt(Math.Max(0, sumSq / data.Rows - mean * mean));
            float scale = sd > 1e-12 ? (float)sd : 1f;
            for (int r = 0; r < data.Rows; r++) result[r * d + j] = (data.Features[r * d + j] - (float)mean) / scale;
        }
        return result;
    }

    /// <summary>
    /// Linear -> ReLU for each hidden width, then a Linear output layer. Initialized as the trainer's network is:
    /// PyTorch's default bounds, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), weight then bias of each layer, from the generator.
    /// </summary>
    sealed class Mlp : nn.Module<Tensor, Tensor>
    {
        readonly ModuleList<Linear> layers = new();

        public Mlp(int inputs, int[] hidden, int outputs, Generator generator) : base(nameof(Mlp))
        {
            int previous = inputs;
            foreach (var width in hidden.Append(outputs))
            {
                // The trainer's own initialization, so both sides start from the same weights.
                var layer = Pipelines.Torch.Networks.SeededInit.Linear(previous, width, generator);
                layers.Add(layer);
                previous = width;
            }
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            for (int i = 0; i < layers.Count - 1; i++) x = nn.functional.relu(layers[i].forward(x));
            return layers[^1].forward(x);
        }
    }
}
