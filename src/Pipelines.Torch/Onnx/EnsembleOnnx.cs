using DataType = Onnx.TensorProto.Types.DataType;

namespace Pipelines.Torch.Onnx;

/// <summary>
/// The ONNX graph that averages an ensemble's member predictions with fixed weights. Its input is the members'
/// outputs side by side (K members, C values each: a binary member's probability, a multiclass member's class
/// probabilities, a regression member's score); the weighted average goes through the same task outputs as a
/// network's raw output (<see cref="OnnxTaskOutputs"/>): as a logit for binary, log-probabilities for multiclass
/// (softmax of their log gives the average back), the score itself for regression.
/// </summary>
internal static class EnsembleOnnx
{
    const float Epsilon = 1e-7f;

    public static byte[] Combiner(ColumnContract contract, IReadOnlyList<double> weights)
    {
        int k = weights.Count, c = contract.Kind == PredictionKind.MulticlassClassification ? contract.ClassCount : 1;
        var g = new OnnxGraphBuilder();
        g.Input(contract.FeatureColumnName, DataType.Float, -1, k * c);
        var w = weights.Select(v => (float)v).ToArray();
        // One MatMul with a [K*C, C] matrix whose row k*C + j holds w_k in column j: the same at every opset from 11 on.
        var combine = new float[k * c * c];
        for (int m = 0; m < k; m++)
            for (int j = 0; j < c; j++) combine[(m * c + j) * c + j] = w[m];
        var average = g.Node("MatMul", new[] { contract.FeatureColumnName, g.Floats("weights", combine, k * c, c) });
        string x = contract.Kind switch
        {
            PredictionKind.MulticlassClassification => g.Node("Log", new[] { g.Node("Add", new[] { average, g.Floats("eps", new[] { Epsilon }, 1) }) }),
            PredictionKind.Regression => average,
            _ => Logit(g, average),
        };
        OnnxTaskOutputs.Write(g, x, contract, (0f, 1f));
        return g.ToBytes(typeof(EnsembleOnnx).Assembly.GetName().Version?.ToString() ?? "0");
    }

    /// <summary>log(p / (1 - p)), with p kept inside (0, 1) so that a member's certain 0 or 1 stays finite.</summary>
    static string Logit(OnnxGraphBuilder g, string p)
    {
        var clipped = g.Node("Clip", new[] { p, g.Floats("low", new[] { Epsilon }, Array.Empty<long>()), g.Floats("high", new[] { 1 - Epsilon }, Array.Empty<long>()) });
        var rest = g.Node("Sub", new[] { g.Floats("one", new[] { 1f }, 1), clipped });
        return g.Node("Sub", new[] { g.Node("Log", new[] { clipped }), g.Node("Log", new[] { rest }) });
    }
}
