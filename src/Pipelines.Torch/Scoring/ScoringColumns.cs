namespace Pipelines.Torch.Scoring;

/// <summary>Column names of the scoring chain: ML.NET's standard outputs and our intermediate ONNX outputs.</summary>
public static class ScoringColumns
{
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";

    // ONNX outputs are always vectors in ML.NET; these intermediates are turned into the scalar columns and dropped.
    internal const string OnnxScore = "PipelinesScoreVector";
    internal const string OnnxProbability = "PipelinesProbabilityVector";
    internal const string OnnxPredictedValue = "PipelinesPredictedValueVector";
    internal const string PredictedValue = "PipelinesPredictedValue";
}
