using System.ComponentModel;
using Microsoft.ML.Transforms;

namespace Pipelines.Torch.Scoring;

// CustomMapping factories that turn the ONNX outputs (always vectors in ML.NET) into ML.NET's scalar output columns.
// The contract names are stored in saved models: never rename them. A loading app needs this assembly, as any
// ML.NET model needs the assemblies of its transforms.

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BinaryOnnxOutput
{
    [ColumnName(ScoringColumns.OnnxScore), VectorType(1)] public float[] Score = Array.Empty<float>();
    [ColumnName(ScoringColumns.OnnxProbability), VectorType(1)] public float[] Probability = Array.Empty<float>();
}

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BinaryPrediction
{
    public float Score;
    public float Probability;
    public bool PredictedLabel;
}

[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class BinaryOutputFactory : CustomMappingFactory<BinaryOnnxOutput, BinaryPrediction>
{
    public const string ContractName = "Pipelines.Torch.BinaryOutput";
    public static void Map(BinaryOnnxOutput input, BinaryPrediction output)
    {
        output.Score = input.Score[0];
        output.Probability = input.Probability[0];
        output.PredictedLabel = input.Score[0] > 0; // probability > 0.5, decided on the logit
    }
    public override Action<BinaryOnnxOutput, BinaryPrediction> GetMapping() => Map;
}

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RegressionOnnxOutput
{
    [ColumnName(ScoringColumns.OnnxScore), VectorType(1)] public float[] Score = Array.Empty<float>();
}

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RegressionPrediction
{
    public float Score;
}

[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class RegressionOutputFactory : CustomMappingFactory<RegressionOnnxOutput, RegressionPrediction>
{
    public const string ContractName = "Pipelines.Torch.RegressionOutput";
    public static void Map(RegressionOnnxOutput input, RegressionPrediction output) => output.Score = input.Score[0];
    public override Action<RegressionOnnxOutput, RegressionPrediction> GetMapping() => Map;
}

/// <summary>The predicted class's label value as the ONNX graph gives it: a vector of one element.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PredictedValueVector<T>
{
    [ColumnName(ScoringColumns.OnnxPredictedValue), VectorType(1)] public T[] Value = Array.Empty<T>();
}

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PredictedValue<T>
{
    [ColumnName(ScoringColumns.PredictedValue)] public T Value = default!;
}

[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class PredictedValueFactory<T> : CustomMappingFactory<PredictedValueVector<T>, PredictedValue<T>>
{
    public static void Map(PredictedValueVector<T> input, PredictedValue<T> output) => output.Value = input.Value[0];
    public override Action<PredictedValueVector<T>, PredictedValue<T>> GetMapping() => Map;
}

[EditorBrowsable(EditorBrowsableState.Never), CustomMappingFactoryAttribute(ContractName)]
public sealed class TextPredictedValueFactory : PredictedValueFactory<string> { public const string ContractName = "Pipelines.Torch.PredictedValue.Text"; }

[EditorBrowsable(EditorBrowsableState.Never), CustomMappingFactoryAttribute(ContractName)]
public sealed class SinglePredictedValueFactory : PredictedValueFactory<float> { public const string ContractName = "Pipelines.Torch.PredictedValue.Single"; }

[EditorBrowsable(EditorBrowsableState.Never), CustomMappingFactoryAttribute(ContractName)]
public sealed class DoublePredictedValueFactory : PredictedValueFactory<double> { public const string ContractName = "Pipelines.Torch.PredictedValue.Double"; }

[EditorBrowsable(EditorBrowsableState.Never), CustomMappingFactoryAttribute(ContractName)]
public sealed class Int32PredictedValueFactory : PredictedValueFactory<int> { public const string ContractName = "Pipelines.Torch.PredictedValue.Int32"; }

[EditorBrowsable(EditorBrowsableState.Never), CustomMappingFactoryAttribute(ContractName)]
public sealed class Int64PredictedValueFactory : PredictedValueFactory<long> { public const string ContractName = "Pipelines.Torch.PredictedValue.Int64"; }

[EditorBrowsable(EditorBrowsableState.Never), CustomMappingFactoryAttribute(ContractName)]
public sealed class BooleanPredictedValueFactory : PredictedValueFactory<bool> { public const string ContractName = "Pipelines.Torch.PredictedValue.Boolean"; }
