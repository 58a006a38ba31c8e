using Google.Protobuf;
using Microsoft.ML.Data;
using Onnx;
using Pipelines.Torch.Data;
using Pipelines.Torch.Networks;
using Pipelines.Torch.Scoring;
using TorchSharp;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Pipelines.Torch.Onnx;

/// <summary>
/// Writes a trained <see cref="MlpNetwork"/> as an ONNX graph: input standardization (Sub, Div), Gemm + activation per
/// layer, then the task's outputs. Binary: the logit and its sigmoid. Multiclass: softmax probabilities ("Score")
/// and the predicted class's original label value (ArgMax, then Gather over the label's key values). Regression:
/// the output mapped back to the label's units.
/// </summary>
internal static class MlpOnnxExporter
{
    public static byte[] Export(MlpNetwork network, Standardization standardization, ColumnContract contract, (float Mean, float Scale) labelScaling)
    {
        var g = new OnnxGraphBuilder();
        int dim = contract.Dimension;
        g.Input(contract.FeatureColumnName, DataType.Float, -1, dim);

        var x = g.Node("Sub", new[] { contract.FeatureColumnName, g.Floats("mean", standardization.Mean, dim) });
        x = g.Node("Div", new[] { x, g.Floats("scale", standardization.Scale, dim) });

        var layers = network.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var w = layer.weight!;
            var weights = g.Floats($"w{i}", Values(w), w.shape[0], w.shape[1]);
            var bias = g.Floats($"b{i}", Values(layer.bias!), w.shape[0]);
            x = g.Node("Gemm", new[] { x, weights, bias }, null, OnnxGraphBuilder.Int("transB", 1));
            if (i < layers.Count - 1) x = ApplyActivation(g, network.Activation, x);
        }

        switch (contract.Kind)
        {
            case PredictionKind.BinaryClassification:
                g.Node("Identity", new[] { x }, ScoringColumns.OnnxScore);
                g.Node("Sigmoid", new[] { x }, ScoringColumns.OnnxProbability);
                g.Output(ScoringColumns.OnnxScore, DataType.Float, -1, 1);
                g.Output(ScoringColumns.OnnxProbability, DataType.Float, -1, 1);
                break;
            case PredictionKind.MulticlassClassification:
                int k = contract.ClassCount;
                g.Node("Softmax", new[] { x }, ScoringColumns.Score, OnnxGraphBuilder.Int("axis", 1));
                var index = g.Node("ArgMax", new[] { x }, null, OnnxGraphBuilder.Int("axis", 1), OnnxGraphBuilder.Int("keepdims", 0));
                var (type, classValues) = ClassValuesTensor(g, contract.Classes!);
                g.Node("Gather", new[] { classValues, index }, ScoringColumns.OnnxPredictedValue, OnnxGraphBuilder.Int("axis", 0));
                g.Output(ScoringColumns.Score, DataType.Float, -1, k);
                g.Output(ScoringColumns.OnnxPredictedValue, type, -1);
                break;
            default:
                var scaled = g.Node("Mul", new[] { x, g.Floats("label_scale", new[] { labelScaling.Scale }, 1) });
                g.Node("Add", new[] { scaled, g.Floats("label_mean", new[] { labelScaling.Mean }, 1) }, ScoringColumns.OnnxScore);
                g.Output(ScoringColumns.OnnxScore, DataType.Float, -1, 1);
                break;
        }
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

    static (DataType Type, string Name) ClassValuesTensor(OnnxGraphBuilder g, ClassLabels classes)
    {
        var dims = new long[] { classes.Values.Length };
        var values = classes.Values;
        var t = classes.ValueType;
        if (t is TextDataViewType)
            return (DataType.String, g.Tensor("classes", DataType.String, dims, p => p.StringData.AddRange(values.Select(v => ByteString.CopyFromUtf8((string)v)))));
        if (t == NumberDataViewType.Single)
            return (DataType.Float, g.Tensor("classes", DataType.Float, dims, p => p.FloatData.AddRange(values.Select(v => (float)v))));
        if (t == NumberDataViewType.Double)
            return (DataType.Double, g.Tensor("classes", DataType.Double, dims, p => p.DoubleData.AddRange(values.Select(v => (double)v))));
        if (t == NumberDataViewType.Int32)
            return (DataType.Int32, g.Tensor("classes", DataType.Int32, dims, p => p.Int32Data.AddRange(values.Select(v => (int)v))));
        if (t == NumberDataViewType.Int64)
            return (DataType.Int64, g.Tensor("classes", DataType.Int64, dims, p => p.Int64Data.AddRange(values.Select(v => (long)v))));
        if (t is BooleanDataViewType)
            return (DataType.Bool, g.Tensor("classes", DataType.Bool, dims, p => p.Int32Data.AddRange(values.Select(v => (bool)v ? 1 : 0))));
        throw new NotSupportedException($"Label key values of type {t} cannot be exported.");
    }

    static float[] Values(torch.Tensor t)
    {
        using var cpu = t.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }
}
