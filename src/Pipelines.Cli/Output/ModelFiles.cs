using Pipelines.AutoML.Export;
using Pipelines.Torch.Data;

namespace Pipelines.Cli.Output;

/// <summary>model.zip (ML.NET; loads with mlContext.Model.Load) and model.onnx, when the model converts.</summary>
internal static class ModelFiles
{
    /// <summary>Writes both files; returns the model as saved (predictions mapped back to the file's class names) and the ONNX outcome.</summary>
    public static (ITransformer Saved, OnnxExportResult Onnx) Write(MLContext ml, ITransformer best, IDataView data, PredictionKind task,
        BinaryClassNames? classNames, OutputFolder folder)
    {
        var saved = ModelExport.ForPrediction(ml, best, data, task, classNames);
        // Saved beside, then moved: a run stopped while saving never leaves a truncated model.zip behind.
        AtomicFile.Write(folder.ModelZip, stream => ml.Model.Save(saved, data.Schema, stream));

        var onnx = ModelExport.ToOnnx(ml, saved, data);
        if (onnx.Model != null) AtomicFile.WriteAllBytes(folder.ModelOnnx, onnx.Model);
        else File.Delete(folder.ModelOnnx);
        return (saved, onnx);
    }
}
