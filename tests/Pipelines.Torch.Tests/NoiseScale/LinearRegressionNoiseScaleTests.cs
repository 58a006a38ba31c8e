using Pipelines.Torch.NoiseScale;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Torch.Tests.NoiseScale;

/// <summary>
/// The measurement (micro-batch gradients, their norms, the estimator) on a problem whose answer is known in closed
/// form: linear regression y = w*·x + b* + ε with x ~ N(0, I_d), ε ~ N(0, σ²), squared-error loss (f(x) − y)² as
/// the regression head uses, at fixed parameters (w, b) with δ = w − w*, β = b − b*. A single example's gradient is
/// 2r(x, 1) with r = δ·x + β − ε, so
/// |G|² = 4(|δ|² + β²) and tr(Σ) = E|g|² − |G|² = 4(|δ|²(d + 2) + (β² + σ²) d + σ²), using E[(δ·x)² |x|²] = |δ|²(d + 2).
/// Every measurement draws a fresh batch, so the population is the Gaussian model itself.
/// </summary>
public class LinearRegressionNoiseScaleTests
{
    const int Dimension = 4;
    const double Sigma = 1.0;
    static readonly float[] TrueWeights = { 0.5f, -1f, 2f, 0.25f };
    const float TrueBias = 0.3f;
    static readonly float[] Delta = { 1f, -0.5f, 0.5f, 0f };
    const float BiasDelta = 0.5f;

    static double DeltaSquared => Delta.Sum(v => (double)v * v);
    static double ClosedFormSquaredNorm => 4 * (DeltaSquared + BiasDelta * BiasDelta);
    static double ClosedFormTrace => 4 * (DeltaSquared * (Dimension + 2) + (BiasDelta * BiasDelta + Sigma * Sigma) * Dimension + Sigma * Sigma);

    sealed class Problem : IDisposable
    {
        public readonly TorchSharp.Modules.Linear Model = nn.Linear(Dimension, 1);
        readonly Tensor _w = tensor(TrueWeights).reshape(Dimension, 1);
        readonly Generator _generator = new(42);

        public Problem()
        {
            using var _ = no_grad();
            Model.weight!.copy_(tensor(TrueWeights.Zip(Delta, (w, d) => w + d).ToArray()).reshape(1, Dimension));
            Model.bias!.copy_(tensor(new[] { TrueBias + BiasDelta }));
        }

        public (Tensor X, Tensor Y) Batch(int rows)
        {
            var x = randn(new long[] { rows, Dimension }, generator: _generator);
            var y = x.matmul(_w).add(TrueBias).add(randn(new long[] { rows, 1 }, generator: _generator).mul(Sigma));
            return (x, y);
        }

        public Tensor Loss(Tensor x, Tensor y) => nn.functional.mse_loss(Model.forward(x), y);

        public void Dispose()
        {
            Model.Dispose();
            _w.Dispose();
            _generator.Dispose();
        }
    }

    [Theory]
    [InlineData(256, 4, 800)]
    [InlineData(64, 8, 500)]
    public void SquaredNormAndTraceMatchTheClosedFormWithinTenPercent(int batch, int microBatches, int measurements)
    {
        using var problem = new Problem();
        var backward = new MicroBatchBackward(problem.Model.parameters(), microBatches);
        var estimator = new GradientNoiseScaleEstimator(smoothing: 0.999);
        for (int i = 0; i < measurements; i++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = problem.Batch(batch);
            var norms = backward.Backward(x, y, problem.Loss);
            estimator.Add(norms.SmallSquaredNorm, norms.SmallBatch, norms.BigSquaredNorm, norms.BigBatch);
        }
        var reading = estimator.Current!.Value;
        Assert.InRange(reading.SquaredNorm / ClosedFormSquaredNorm, 0.9, 1.1);
        Assert.InRange(reading.Trace / ClosedFormTrace, 0.9, 1.1);
        Assert.InRange(reading.Scale!.Value / (ClosedFormTrace / ClosedFormSquaredNorm), 0.9, 1.1);
    }

    [Fact]
    public void TheMeasuredStepLeavesTheOrdinaryGradientOfTheBatch()
    {
        using var problem = new Problem();
        using var scope = NewDisposeScope();
        var (x, y) = problem.Batch(103); // not a multiple of the micro-batches: sizes 26, 26, 26, 25
        problem.Loss(x, y).backward();
        var ordinary = problem.Model.parameters().Select(p => p.grad!.clone()).ToList();
        foreach (var p in problem.Model.parameters()) p.grad!.zero_();

        var norms = new MicroBatchBackward(problem.Model.parameters(), 4).Backward(x, y, problem.Loss);
        var measured = problem.Model.parameters().Select(p => p.grad!).ToList();
        for (int k = 0; k < ordinary.Count; k++)
            Assert.True(measured[k].allclose(ordinary[k], rtol: 1e-5, atol: 1e-6), $"parameter {k}: measured gradient differs from the ordinary one");
        double bigSquared = ordinary.Sum(g => g.square().sum().item<float>());
        Assert.Equal(bigSquared, norms.BigSquaredNorm, 4);
        Assert.Equal(103, norms.BigBatch);
        Assert.Equal(4 / (3 / 26.0 + 1 / 25.0), norms.SmallBatch, 9);
        // The micro-batch gradients are noisier than their mean: a larger mean squared norm.
        Assert.True(norms.SmallSquaredNorm > norms.BigSquaredNorm);
    }
}
