using Onnx;
using Pipelines.Torch.Ensembles;
using Pipelines.Torch.Onnx;
using Pipelines.Torch.Scoring;
using Pipelines.Torch.Trainers;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Pipelines.Torch;

/// <summary>
/// <c>mlContext.Model.ConvertEnsemblePipelineToOnnx(model, data, stream)</c>: a fitted pipeline that ends in a
/// <see cref="WeightedEnsembleModel"/> as one ONNX model that takes the data's columns. Each member with the featurizer
/// before it is converted as a whole pipeline (ML.NET's converter, or <see cref="TorchPipelineOnnx"/> for a Torch
/// member), the members sit side by side reading the same inputs, and the ensemble's weighted average reads their
/// outputs. The outputs are named as ML.NET names them ("PredictedLabel.output", "Score.output", "Probability.output").
/// </summary>
public static class EnsemblePipelineOnnx
{
    const string MemberOutputs = "ensemble.members";

    /// <exception cref="NotSupportedException">A member or a step has no ONNX form; the message names which.</exception>
    public static void ConvertEnsemblePipelineToOnnx(this ModelOperationsCatalog catalog, ITransformer model, IDataView inputData, Stream stream) =>
        OnnxModelWriter.Write(catalog, model, inputData, stream, Convert);

    static ModelProto Convert(ModelOperationsCatalog catalog, ITransformer model, IDataView inputData)
    {
        var pipeline = PipelineSteps.Of(model, inputData.Schema);
        int at = pipeline.Steps.ToList().FindIndex(s => s is WeightedEnsembleModel);
        if (at < 0) throw new ArgumentException("The model holds no weighted ensemble.", nameof(model));
        var ensemble = (WeightedEnsembleModel)pipeline.Steps[at];
        var contract = ensemble.Combined;
        var form = PredictedLabelSteps.Read(pipeline, at + 1, contract);

        var members = ensemble.Members.Select((m, i) => ConvertMember(catalog, pipeline, at, m, i, inputData)).ToList();
        var (union, name) = OnnxGraphUnion.Merge(members);
        var output = PipelineOnnxOutputs.Of(WeightedEnsemble.MemberOutput(contract.Kind));
        var g = new OnnxGraphBuilder(union.Graph, "ensemble.");
        g.Node("Concat", members.Select((_, i) => name(i, output)).ToArray(), MemberOutputs, OnnxGraphBuilder.Int("axis", 1));
        g.Output(MemberOutputs, DataType.Float, -1, contract.Dimension);

        var combiner = ModelProto.Parser.ParseFrom(EnsembleOnnx.Combiner(contract, ensemble.Weights));
        var (joined, combined) = OnnxGraphJoin.Join(union, MemberOutputs, combiner, contract.FeatureColumnName);
        var outputs = PipelineOnnxOutputs.Add(joined.Graph, combined, combined("out."), contract, form);
        OnnxGraphPruning.KeepOutputs(joined.Graph, outputs);
        joined.ProducerName = "Pipelines.Torch";
        joined.ProducerVersion = typeof(EnsemblePipelineOnnx).Assembly.GetName().Version?.ToString() ?? "0";
        return joined;
    }

    /// <summary>The featurizer (steps before the ensemble) and member <paramref name="index"/> as one ONNX model.</summary>
    static ModelProto ConvertMember(ModelOperationsCatalog catalog, PipelineSteps pipeline, int end, ITransformer member, int index, IDataView inputData)
    {
        var chain = pipeline.Range(0, end).Append(member);
        try
        {
            if (PipelineSteps.Of(member, pipeline.Schemas[end]).Steps.Any(s => s is TorchModel))
                return TorchPipelineOnnx.Convert(catalog, chain, inputData);
            using var stream = new MemoryStream();
            catalog.ConvertToOnnx(chain, inputData, stream);
            return ModelProto.Parser.ParseFrom(stream.ToArray());
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            // ML.NET's converter throws several exception types for a model without an ONNX form.
            throw new NotSupportedException($"Member {index + 1} of the ensemble ({Describe(member)}) has no ONNX form: {e.GetBaseException().Message}", e);
        }
    }

    static string Describe(ITransformer member) => member is IEnumerable<ITransformer> chain && chain.LastOrDefault() is { } last ? Describe(last) : member.GetType().Name;
}
