namespace Pipelines.Torch.Scoring;

/// <summary>
/// Builds the ML.NET-native transformer chain that scores with the exported ONNX graph and produces ML.NET's
/// standard output columns. This chain is what a Torch model saves into the model zip (docs/architecture.md, "Persistence").
/// </summary>
internal static class ScoringChain
{
    public static ITransformer Build(byte[] onnxModel, ColumnContract contract, IDataView schemaSource)
    {
        var ml = new MLContext();
        var inputs = new[] { contract.FeatureColumnName };
        IEstimator<ITransformer> chain;
        switch (contract.Kind)
        {
            case PredictionKind.BinaryClassification:
                chain = ml.Transforms.ApplyOnnxModel(new[] { ScoringColumns.OnnxScore, ScoringColumns.OnnxProbability }, inputs, new MemoryStream(onnxModel))
                    .Append(ml.Transforms.CustomMapping<BinaryOnnxOutput, BinaryPrediction>(BinaryOutputFactory.Map, BinaryOutputFactory.ContractName))
                    .Append(ml.Transforms.DropColumns(ScoringColumns.OnnxScore, ScoringColumns.OnnxProbability));
                break;
            case PredictionKind.Regression:
                chain = ml.Transforms.ApplyOnnxModel(new[] { ScoringColumns.OnnxScore }, inputs, new MemoryStream(onnxModel))
                    .Append(ml.Transforms.CustomMapping<RegressionOnnxOutput, RegressionPrediction>(RegressionOutputFactory.Map, RegressionOutputFactory.ContractName))
                    .Append(ml.Transforms.DropColumns(ScoringColumns.OnnxScore));
                break;
            default:
                var classes = contract.Classes!;
                chain = ml.Transforms.ApplyOnnxModel(new[] { ScoringColumns.Score, ScoringColumns.OnnxPredictedValue }, inputs, new MemoryStream(onnxModel))
                    .Append(PredictedValueMapping(ml, classes))
                    .Append(ml.Transforms.Conversion.MapValueToKey(ScoringColumns.PredictedLabel, ScoringColumns.PredictedValue, keyData: KeyData(ml, classes)))
                    .Append(ml.Transforms.DropColumns(ScoringColumns.OnnxPredictedValue, ScoringColumns.PredictedValue));
                break;
        }
        return chain.Fit(schemaSource);
    }

    static IEstimator<ITransformer> PredictedValueMapping(MLContext ml, ClassLabels classes)
    {
        var t = classes.ValueType;
        if (t is TextDataViewType) return Mapping<string>(ml, TextPredictedValueFactory.ContractName);
        if (t == NumberDataViewType.Single) return Mapping<float>(ml, SinglePredictedValueFactory.ContractName);
        if (t == NumberDataViewType.Double) return Mapping<double>(ml, DoublePredictedValueFactory.ContractName);
        if (t == NumberDataViewType.Int32) return Mapping<int>(ml, Int32PredictedValueFactory.ContractName);
        if (t == NumberDataViewType.Int64) return Mapping<long>(ml, Int64PredictedValueFactory.ContractName);
        if (t is BooleanDataViewType) return Mapping<bool>(ml, BooleanPredictedValueFactory.ContractName);
        throw new NotSupportedException($"Label key values of type {t} are not supported.");
    }

    static IEstimator<ITransformer> Mapping<T>(MLContext ml, string contract) =>
        ml.Transforms.CustomMapping<PredictedValueVector<T>, PredictedValue<T>>(PredictedValueFactory<T>.Map, contract);

    // The label's key values in key order: MapValueToKey then numbers PredictedLabel exactly as the Label key.
    static IDataView KeyData(MLContext ml, ClassLabels classes)
    {
        var t = classes.ValueType;
        if (t is TextDataViewType) return Rows<string>(ml, classes);
        if (t == NumberDataViewType.Single) return Rows<float>(ml, classes);
        if (t == NumberDataViewType.Double) return Rows<double>(ml, classes);
        if (t == NumberDataViewType.Int32) return Rows<int>(ml, classes);
        if (t == NumberDataViewType.Int64) return Rows<long>(ml, classes);
        return Rows<bool>(ml, classes);
    }

    static IDataView Rows<T>(MLContext ml, ClassLabels classes) =>
        ml.Data.LoadFromEnumerable(classes.Values.Select(v => new PredictedValue<T> { Value = (T)v }).ToList());
}
