using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.Torch;
using Pipelines.Torch.Data;
using Pipelines.Torch.Trainers;

namespace Pipelines.AutoML.Export;

/// <summary>
/// Turns an experiment's best model (featurizer plus trainer, taking the data file's columns) into what an
/// application uses: a model whose predictions read like the file's labels, and an ONNX copy.
/// </summary>
public static class ModelExport
{
    const string PredictedLabel = "PredictedLabel";

    /// <summary>
    /// Multiclass models predict a key; applications want the class itself ("setosa"), as mlnet-generated models give
    /// it, so PredictedLabel is mapped back with MapKeyToValue. Other tasks are returned unchanged. Evaluate with the
    /// original model: ML.NET's multiclass evaluator needs the key.
    /// </summary>
    public static ITransformer ForPrediction(MLContext ml, ITransformer model, IDataView data, PredictionKind task)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (task != PredictionKind.MulticlassClassification) return model;
        var scored = model.Transform(data);
        if (scored.Schema.GetColumnOrNull(PredictedLabel)?.Type is not KeyDataViewType) return model;
        return model.Append(ml.Transforms.Conversion.MapKeyToValue(PredictedLabel).Fit(scored));
    }

    /// <summary>
    /// The model as ONNX, taking the data file's columns. ML.NET models go through ML.NET's ConvertToOnnx on
    /// <paramref name="data"/>'s schema, featurization included. A Torch MLP's pipeline is joined into one graph
    /// (<see cref="TorchPipelineOnnx.ConvertTorchPipelineToOnnx"/>); where a featurizer step has no ONNX form, the
    /// network alone is written (it takes the featurized Features vector) and the description names the step. An
    /// image model's network takes the pixels, which is what its data holds.
    /// </summary>
    public static OnnxExportResult ToOnnx(MLContext ml, ITransformer model, IDataView data)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        return FindTorchModel(model) switch
        {
            TorchImageClassifierModel image => new OnnxExportResult
            {
                Model = image.OnnxModel.ToArray(),
                Description = "the Torch network alone: input 'Features' (the pixels as one flat vector, channel by channel and row by row, in [0, 1]; standardization is inside), outputs the class scores",
            },
            TorchModel torch => TorchPipeline(ml, model, data, torch),
            _ => MLNetPipeline(ml, model, data),
        };
    }

    static OnnxExportResult TorchPipeline(MLContext ml, ITransformer model, IDataView data, TorchModel torch)
    {
        try
        {
            using var stream = new MemoryStream();
            ml.Model.ConvertTorchPipelineToOnnx(model, data, stream);
            return new OnnxExportResult
            {
                Model = stream.ToArray(),
                Description = "the whole pipeline, featurization (ML.NET's converter) joined with the Torch network: inputs are the data file's columns the model reads",
            };
        }
        catch (NotSupportedException e)
        {
            return new OnnxExportResult
            {
                Model = torch.OnnxModel.ToArray(),
                Description = $"the Torch network alone: input 'Features' (the featurized vector; standardization is inside), outputs the network's scores. The whole pipeline does not convert: {e.Message}",
            };
        }
    }

    static OnnxExportResult MLNetPipeline(MLContext ml, ITransformer model, IDataView data)
    {
        try
        {
            using var stream = new MemoryStream();
            ml.Model.ConvertToOnnx(model, data, stream);
            return new OnnxExportResult { Model = stream.ToArray(), Description = "the whole ML.NET pipeline: inputs are the data file's columns" };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // ConvertToOnnx throws several exception types for transforms without an ONNX form; all mean "cannot convert".
            return new OnnxExportResult { Failure = $"ML.NET's ONNX converter cannot convert this model ({e.GetBaseException().Message})" };
        }
    }

    static TorchModel? FindTorchModel(ITransformer model) => model switch
    {
        TorchModel torch => torch,
        IEnumerable<ITransformer> chain => chain.Select(FindTorchModel).FirstOrDefault(t => t != null),
        _ => null,
    };
}
