using Google.Protobuf;
using Onnx;
using Pipelines.Torch.Scoring;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Pipelines.Torch.Onnx;

/// <summary>
/// The outputs a whole-pipeline ONNX model gives, named as ML.NET's converter names them ("PredictedLabel.output",
/// "Score.output", "Probability.output"), so an app that runs model.onnx reads the same names whichever trainer won.
/// Computed from the network's outputs: binary PredictedLabel is Score &gt; 0 (probability &gt; 0.5), as in model.zip,
/// or the class name that stands for it.
/// </summary>
internal static class PipelineOnnxOutputs
{
    /// <summary>The output ML.NET's converter gives a column: its name and ".output".</summary>
    public static string Of(string column) => column + ".output";

    public static string PredictedLabel => Of(ScoringColumns.PredictedLabel);
    public static string Score => Of(ScoringColumns.Score);
    public static string Probability => Of(ScoringColumns.Probability);

    /// <summary>
    /// Adds the outputs to <paramref name="graph"/>, whose network values are named by <paramref name="network"/>;
    /// returns their names. <paramref name="prefix"/> starts every new intermediate name.
    /// </summary>
    public static IReadOnlyList<string> Add(GraphProto graph, Func<string, string> network, string prefix, ColumnContract contract, PredictedLabelForm form)
    {
        var g = new OnnxGraphBuilder(graph, prefix);
        switch (contract.Kind)
        {
            case PredictionKind.BinaryClassification:
                var score = network(ScoringColumns.OnnxScore);
                if (form.BinaryNames is { } names)
                {
                    // false and true pick the first and second name.
                    var positive = g.Node("Greater", new[] { score, g.Floats("zero", new[] { 0f }, 1) });
                    var index = g.Node("Cast", new[] { positive }, null, OnnxGraphBuilder.Int("to", (long)DataType.Int64));
                    var classes = g.Tensor("class_names", DataType.String, new long[] { 2 }, t => t.StringData.AddRange(names.Select(ByteString.CopyFromUtf8)));
                    g.Node("Gather", new[] { classes, index }, PredictedLabel, OnnxGraphBuilder.Int("axis", 0));
                    g.Output(PredictedLabel, DataType.String, -1, 1);
                }
                else
                {
                    g.Node("Greater", new[] { score, g.Floats("zero", new[] { 0f }, 1) }, PredictedLabel);
                    g.Output(PredictedLabel, DataType.Bool, -1, 1);
                }
                g.Node("Identity", new[] { score }, Score);
                g.Node("Identity", new[] { network(ScoringColumns.OnnxProbability) }, Probability);
                g.Output(Score, DataType.Float, -1, 1);
                g.Output(Probability, DataType.Float, -1, 1);
                return new[] { PredictedLabel, Score, Probability };

            case PredictionKind.MulticlassClassification:
                var probabilities = network(ScoringColumns.Score);
                if (form.MapsKeyToValue)
                {
                    var value = network(ScoringColumns.OnnxPredictedValue);
                    var type = (DataType)graph.Output.Single(o => o.Name == value).Type.TensorType.ElemType;
                    g.Node("Reshape", new[] { value, g.Tensor("column", DataType.Int64, new long[] { 2 }, t => t.Int64Data.AddRange(new long[] { -1, 1 })) }, PredictedLabel);
                    g.Output(PredictedLabel, type, -1, 1);
                }
                else
                {
                    // ML.NET's keys count from 1 (0 is missing).
                    var index = g.Node("ArgMax", new[] { probabilities }, null, OnnxGraphBuilder.Int("axis", 1), OnnxGraphBuilder.Int("keepdims", 1));
                    var key = g.Node("Add", new[] { index, g.Tensor("one", DataType.Int64, new long[] { 1 }, t => t.Int64Data.Add(1)) });
                    g.Node("Cast", new[] { key }, PredictedLabel, OnnxGraphBuilder.Int("to", (long)DataType.Uint32));
                    g.Output(PredictedLabel, DataType.Uint32, -1, 1);
                }
                g.Node("Identity", new[] { probabilities }, Score);
                g.Output(Score, DataType.Float, -1, contract.ClassCount);
                return new[] { PredictedLabel, Score };

            default:
                g.Node("Identity", new[] { network(ScoringColumns.OnnxScore) }, Score);
                g.Output(Score, DataType.Float, -1, 1);
                return new[] { Score };
        }
    }
}
