using Onnx;
using Pipelines.Torch.Onnx;
using Pipelines.Torch.Trainers;

namespace Pipelines.Torch;

/// <summary>
/// <c>mlContext.Model.ConvertTorchPipelineToOnnx(model, data, stream)</c>: a whole fitted pipeline with a Torch model
/// as one ONNX model that takes the data's columns, as ML.NET's <c>ConvertToOnnx</c> gives for its own trainers.
/// </summary>
public static class TorchPipelineOnnx
{
    /// <summary>
    /// Converts <paramref name="model"/> (featurization steps, a Torch model, and optionally a MapKeyToValue of
    /// PredictedLabel) to ONNX. The steps before the Torch model go through ML.NET's converter, and the network's graph
    /// reads their feature vector. The inputs are the columns of <paramref name="inputData"/> the prediction reads (the
    /// label and unused columns are left out), each [N, 1] as ML.NET's converter declares them; the outputs are named as
    /// ML.NET names them: "PredictedLabel.output", "Score.output" and, for binary classification, "Probability.output".
    /// </summary>
    /// <exception cref="NotSupportedException">A step has no ONNX form; the message names the step and why.</exception>
    public static void ConvertTorchPipelineToOnnx(this ModelOperationsCatalog catalog, ITransformer model, IDataView inputData, Stream stream) =>
        OnnxModelWriter.Write(catalog, model, inputData, stream, Convert);

    internal static ModelProto Convert(ModelOperationsCatalog catalog, ITransformer model, IDataView inputData)
    {
        var pipeline = PipelineSteps.Of(model, inputData.Schema);
        int at = pipeline.Steps.ToList().FindIndex(s => s is TorchModel);
        if (at < 0)
            throw new ArgumentException("The model holds no Torch model; convert it with mlContext.Model.ConvertToOnnx.", nameof(model));
        var torch = (TorchModel)pipeline.Steps[at];
        var contract = torch.Contract;
        var form = PredictedLabelSteps.Read(pipeline, at + 1, contract);

        var featurizer = ConvertFeaturizer(catalog, pipeline, at, inputData, contract.FeatureColumnName);
        var network = ModelProto.Parser.ParseFrom(torch.OnnxModel.ToArray());
        var (joined, name) = OnnxGraphJoin.Join(featurizer, PipelineOnnxOutputs.Of(contract.FeatureColumnName), network, contract.FeatureColumnName);
        var outputs = PipelineOnnxOutputs.Add(joined.Graph, name, name("out."), contract, form);
        OnnxGraphPruning.KeepOutputs(joined.Graph, outputs);
        joined.ProducerName = "Pipelines.Torch";
        joined.ProducerVersion = typeof(TorchPipelineOnnx).Assembly.GetName().Version?.ToString() ?? "0";
        return joined;
    }

    /// <summary>Steps 0 to <paramref name="end"/> through ML.NET's converter, giving only the feature vector; a step it cannot convert is named.</summary>
    static ModelProto ConvertFeaturizer(ModelOperationsCatalog catalog, PipelineSteps pipeline, int end, IDataView inputData, string features)
    {
        try
        {
            using var stream = new MemoryStream();
            catalog.ConvertToOnnx(pipeline.Range(0, end), inputData, stream, features);
            return ModelProto.Parser.ParseFrom(stream.ToArray());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // ML.NET throws several exception types for a transform without an ONNX form; find the first such step.
            for (int i = 0; i < end; i++)
            {
                var failure = TryConvert(catalog, pipeline.Range(0, i + 1), inputData);
                if (failure != null)
                    throw new NotSupportedException($"{pipeline.Describe(i)}, before the Torch model, has no ONNX form: {failure.Message}", failure);
            }
            throw new NotSupportedException($"ML.NET's ONNX converter cannot convert the featurizer: {e.GetBaseException().Message}", e);
        }
    }

    static Exception? TryConvert(ModelOperationsCatalog catalog, ITransformer chain, IDataView inputData)
    {
        try
        {
            using var stream = new MemoryStream();
            catalog.ConvertToOnnx(chain, inputData, stream);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e.GetBaseException();
        }
    }
}
