using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Pipelines.Torch.Onnx;

/// <summary>
/// Writes a trained <see cref="ConvNetwork"/> as an ONNX graph: the standardized flat input reshaped to
/// [N, C, H, W], each convolution with its batch normalization folded in (eval-mode statistics), ReLU, pooling and
/// residual additions as trained, the classifier, then the task's outputs (<see cref="OnnxTaskOutputs"/>).
/// </summary>
internal static class ConvOnnxExporter
{
    public static byte[] Export(ConvNetwork network, Standardization standardization, ColumnContract contract)
    {
        var g = new OnnxGraphBuilder();
        var x = OnnxTaskOutputs.StandardizedInput(g, contract, standardization);
        var shape = network.Shape;
        var dims = g.Tensor("image_shape", DataType.Int64, new long[] { 4 },
            t => t.Int64Data.AddRange(new long[] { -1, shape.Channels, shape.Height, shape.Width }));
        x = g.Node("Reshape", new[] { x, dims });

        if (network.Architecture == ImageArchitecture.SmallCnn)
        {
            var stages = network.Stages;
            for (int s = 0; s < stages.Count; s++)
            {
                x = g.Node("Relu", new[] { Conv(g, stages[s], x) });
                if (network.PoolAfterStage[s])
                    x = g.Node("MaxPool", new[] { x }, null, OnnxGraphBuilder.Ints("kernel_shape", 2, 2), OnnxGraphBuilder.Ints("strides", 2, 2));
            }
            x = g.Node("Flatten", new[] { x }, null, OnnxGraphBuilder.Int("axis", 1));
            x = g.Node("Relu", new[] { OnnxTaskOutputs.Gemm(g, network.Hidden!, x) });
        }
        else
        {
            x = g.Node("Relu", new[] { Conv(g, network.Stem!, x) });
            foreach (var block in network.Blocks)
            {
                var main = Conv(g, block.Second, g.Node("Relu", new[] { Conv(g, block.First, x) }));
                var skip = block.Shortcut is null ? x : Conv(g, block.Shortcut, x);
                x = g.Node("Relu", new[] { g.Node("Add", new[] { main, skip }) });
            }
            x = g.Node("Flatten", new[] { g.Node("GlobalAveragePool", new[] { x }) }, null, OnnxGraphBuilder.Int("axis", 1));
        }
        x = OnnxTaskOutputs.Gemm(g, network.Classifier, x);

        OnnxTaskOutputs.Write(g, x, contract, (0f, 1f));
        return g.ToBytes(typeof(ConvOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0");
    }

    /// <summary>
    /// A Conv node with the batch normalization folded in: scale = gamma / sqrt(running_var + eps), weight * scale per
    /// output channel, bias = beta - running_mean * scale.
    /// </summary>
    static string Conv(OnnxGraphBuilder g, ConvBn unit, string x)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var norm = unit.Norm;
        var scale = norm.weight!.detach().div(norm.running_var!.add(ConvBn.Epsilon).sqrt());
        var weight = unit.Conv.weight!.detach();
        var folded = weight.mul(scale.reshape(-1, 1, 1, 1));
        var bias = norm.bias!.detach().sub(norm.running_mean!.mul(scale));
        var w = g.Floats("conv_w", OnnxTaskOutputs.Values(folded), weight.shape);
        var b = g.Floats("conv_b", OnnxTaskOutputs.Values(bias), weight.shape[0]);
        int k = unit.Kernel, p = unit.Padding, s = unit.Stride;
        return g.Node("Conv", new[] { x, w, b }, null,
            OnnxGraphBuilder.Ints("kernel_shape", k, k), OnnxGraphBuilder.Ints("pads", p, p, p, p), OnnxGraphBuilder.Ints("strides", s, s));
    }
}
