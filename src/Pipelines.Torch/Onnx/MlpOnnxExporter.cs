namespace Pipelines.Torch.Onnx;

/// <summary>
/// Writes a trained <see cref="MlpNetwork"/> as an ONNX graph: input standardization, Gemm + activation per layer,
/// then the task's outputs (<see cref="OnnxTaskOutputs"/>).
/// </summary>
internal static class MlpOnnxExporter
{
    public static byte[] Export(MlpNetwork network, Standardization standardization, ColumnContract contract, (float Mean, float Scale) labelScaling)
    {
        var g = new OnnxGraphBuilder();
        var x = OnnxTaskOutputs.StandardizedInput(g, contract, standardization);

        var layers = network.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            x = OnnxTaskOutputs.Gemm(g, layers[i], x);
            if (i < layers.Count - 1) x = ApplyActivation(g, network.Activation, x);
        }

        OnnxTaskOutputs.Write(g, x, contract, labelScaling);
        return g.ToBytes(typeof(MlpOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0");
    }

    static string ApplyActivation(OnnxGraphBuilder g, Activation activation, string x) => activation switch
    {
        Activation.ReLU => g.Node("Relu", new[] { x }),
        Activation.Tanh => g.Node("Tanh", new[] { x }),
        Activation.LeakyReLU => g.Node("LeakyRelu", new[] { x }, null, OnnxGraphBuilder.Float("alpha", (float)MlpNetwork.LeakyReluSlope)),
        Activation.SiLU => g.Node("Mul", new[] { x, g.Node("Sigmoid", new[] { x }) }),
        // Exact GELU, as torch's default: 0.5 * x * (1 + erf(x / sqrt(2))).
        Activation.GELU => g.Node("Mul", new[]
        {
            g.Node("Mul", new[] { x, g.Floats("half", new[] { 0.5f }, 1) }),
            g.Node("Add", new[]
            {
                g.Floats("one", new[] { 1f }, 1),
                g.Node("Erf", new[] { g.Node("Div", new[] { x, g.Floats("sqrt2", new[] { MathF.Sqrt(2) }, 1) }) }),
            }),
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };

}
