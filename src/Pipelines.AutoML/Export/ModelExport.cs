using Pipelines.Torch.Scoring;
using Pipelines.AutoML.Inference;
using Pipelines.Torch;
using Pipelines.Torch.Ensembles;
using Pipelines.Torch.Trainers;

namespace Pipelines.AutoML.Export;

/// <summary>
/// Turns an experiment's best model (featurizer plus trainer, taking the data file's columns) into what an
/// application uses: a model whose predictions read like the file's labels, and an ONNX copy.
/// </summary>
public static class ModelExport
{
    /// <summary>
    /// PredictedLabel as the data file writes the label, as mlnet-generated models give it. Multiclass models predict a
    /// key, mapped back to the class ("setosa") with MapKeyToValue. A binary model predicts a Boolean; with
    /// <paramref name="classNames"/> (a text label) it becomes the class name, and Score and Probability stay as they
    /// are (Probability is for <see cref="BinaryClassNames.Positive"/>). Other models are returned unchanged.
    /// Evaluate with the original model: ML.NET's evaluators need the key or the Boolean.
    /// </summary>
    public static ITransformer ForPrediction(MLContext ml, ITransformer model, IDataView data, PredictionKind task, BinaryClassNames? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var scored = model.Transform(data);
        var predicted = scored.Schema.GetColumnOrNull(ScoringColumns.PredictedLabel)?.Type;
        if (task == PredictionKind.MulticlassClassification && predicted is KeyDataViewType)
            return model.Append(ml.Transforms.Conversion.MapKeyToValue(ScoringColumns.PredictedLabel).Fit(scored));
        if (task == PredictionKind.BinaryClassification && predicted is BooleanDataViewType && classNames != null)
            return model.Append(ToClassNames(ml, scored.Schema, classNames).Fit(scored));
        return model;
    }

    /// <summary>
    /// false and true to the class names, through a column of its own copied over PredictedLabel: mapped in place,
    /// ML.NET 6's ONNX converter writes a graph whose mapping reads its own output (a cycle ONNX Runtime refuses).
    /// </summary>
    static IEstimator<ITransformer> ToClassNames(MLContext ml, DataViewSchema schema, BinaryClassNames classNames)
    {
        var names = new HashSet<string>(schema.Select(c => c.Name), StringComparer.Ordinal);
        var temporary = ColumnNames.Unique(ScoringColumns.PredictedLabel + "Class", names);
        var map = new[] { new KeyValuePair<bool, string>(false, classNames.Negative), new KeyValuePair<bool, string>(true, classNames.Positive) };
        return ml.Transforms.Conversion.MapValue(temporary, map, ScoringColumns.PredictedLabel)
            .Append(ml.Transforms.CopyColumns(ScoringColumns.PredictedLabel, temporary))
            .Append(ml.Transforms.DropColumns(temporary));
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
        if (Find<WeightedEnsembleModel>(model) != null) return EnsemblePipeline(ml, model, data);
        return Find<TorchModel>(model) switch
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

    static OnnxExportResult TorchPipeline(MLContext ml, ITransformer model, IDataView data, TorchModel torch) =>
        Whole(s => ml.Model.ConvertTorchPipelineToOnnx(model, data, s),
            "the whole pipeline, featurization (ML.NET's converter) joined with the Torch network: inputs are the data file's columns the model reads",
            e => new OnnxExportResult
            {
                Model = torch.OnnxModel.ToArray(),
                Description = $"the Torch network alone: input 'Features' (the featurized vector; standardization is inside), outputs the network's scores. The whole pipeline does not convert: {e.Message}",
            });

    static OnnxExportResult EnsemblePipeline(MLContext ml, ITransformer model, IDataView data) =>
        Whole(s => ml.Model.ConvertEnsemblePipelineToOnnx(model, data, s),
            "the whole ensemble, each member with the featurization and the weighted average in one graph: inputs are the data file's columns the model reads",
            e => new OnnxExportResult { Failure = $"the ensemble does not convert to ONNX: {e.Message}" });

    /// <summary>The model one of our converters writes, or <paramref name="otherwise"/> when a step has no ONNX form.</summary>
    static OnnxExportResult Whole(Action<Stream> convert, string description, Func<NotSupportedException, OnnxExportResult> otherwise)
    {
        try
        {
            using var stream = new MemoryStream();
            convert(stream);
            return new OnnxExportResult { Model = stream.ToArray(), Description = description };
        }
        catch (NotSupportedException e)
        {
            return otherwise(e);
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

    /// <summary>The first step of type <typeparamref name="T"/> in the model's chains (an ensemble's members are not searched).</summary>
    static T? Find<T>(ITransformer model) where T : class, ITransformer => model switch
    {
        T found => found,
        IEnumerable<ITransformer> chain => chain.Select(Find<T>).FirstOrDefault(t => t != null),
        _ => null,
    };
}
