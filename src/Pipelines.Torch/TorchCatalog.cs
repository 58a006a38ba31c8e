using Pipelines.Torch.Trainers;

namespace Pipelines.Torch;

/// <summary>
/// Catalog entry points, next to ML.NET's own trainers:
/// <c>mlContext.BinaryClassification.Trainers.TorchMlp(...)</c>,
/// <c>mlContext.MulticlassClassification.Trainers.TorchMlp(...)</c>,
/// <c>mlContext.Regression.Trainers.TorchMlp(...)</c>, and the image classifier
/// <c>mlContext.MulticlassClassification.Trainers.TorchImageClassifier(...)</c>.
/// </summary>
public static class TorchCatalog
{
    /// <summary>A TorchSharp MLP for binary classification (Boolean label). Outputs Score, Probability, PredictedLabel.</summary>
    public static TorchMlpTrainer TorchMlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, TorchMlpTrainer.Options options) =>
        new(PredictionKind.BinaryClassification, options ?? throw new ArgumentNullException(nameof(options)), MLContextSettings.From(catalog));

    /// <inheritdoc cref="TorchMlp(BinaryClassificationCatalog.BinaryClassificationTrainers, TorchMlpTrainer.Options)"/>
    public static TorchMlpTrainer TorchMlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features",
        int batchSize = TrainerDefaults.BatchSize, int epochs = TrainerDefaults.Epochs,
        double learningRate = TrainerDefaults.LearningRate, double weightDecay = 0) =>
        catalog.TorchMlp(Simple(labelColumnName, featureColumnName, batchSize, epochs, learningRate, weightDecay));

    /// <summary>A TorchSharp MLP for multiclass classification (key-typed label). Outputs Score (class probabilities) and PredictedLabel (key).</summary>
    public static TorchMlpTrainer TorchMlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, TorchMlpTrainer.Options options) =>
        new(PredictionKind.MulticlassClassification, options ?? throw new ArgumentNullException(nameof(options)), MLContextSettings.From(catalog));

    /// <inheritdoc cref="TorchMlp(MulticlassClassificationCatalog.MulticlassClassificationTrainers, TorchMlpTrainer.Options)"/>
    public static TorchMlpTrainer TorchMlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features",
        int batchSize = TrainerDefaults.BatchSize, int epochs = TrainerDefaults.Epochs,
        double learningRate = TrainerDefaults.LearningRate, double weightDecay = 0) =>
        catalog.TorchMlp(Simple(labelColumnName, featureColumnName, batchSize, epochs, learningRate, weightDecay));

    /// <summary>A TorchSharp MLP for regression (Single or Double label). Outputs Score.</summary>
    public static TorchMlpTrainer TorchMlp(this RegressionCatalog.RegressionTrainers catalog, TorchMlpTrainer.Options options) =>
        new(PredictionKind.Regression, options ?? throw new ArgumentNullException(nameof(options)), MLContextSettings.From(catalog));

    /// <inheritdoc cref="TorchMlp(RegressionCatalog.RegressionTrainers, TorchMlpTrainer.Options)"/>
    public static TorchMlpTrainer TorchMlp(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features",
        int batchSize = TrainerDefaults.BatchSize, int epochs = TrainerDefaults.Epochs,
        double learningRate = TrainerDefaults.LearningRate, double weightDecay = 0) =>
        catalog.TorchMlp(Simple(labelColumnName, featureColumnName, batchSize, epochs, learningRate, weightDecay));

    /// <summary>
    /// A TorchSharp convolutional network for image classification (key-typed label; features: the pixels as a
    /// known-size Single vector, planar channel-row-column, e.g. from ExtractPixels or ImageFolder). Outputs Score
    /// (class probabilities) and PredictedLabel (key).
    /// </summary>
    public static TorchImageClassifierTrainer TorchImageClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        TorchImageClassifierTrainer.Options options) =>
        new(options ?? throw new ArgumentNullException(nameof(options)), MLContextSettings.From(catalog));

    /// <inheritdoc cref="TorchImageClassifier(MulticlassClassificationCatalog.MulticlassClassificationTrainers, TorchImageClassifierTrainer.Options)"/>
    public static TorchImageClassifierTrainer TorchImageClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features",
        int batchSize = TrainerDefaults.ImageBatchSize, int epochs = TrainerDefaults.ImageEpochs,
        double learningRate = TrainerDefaults.LearningRate, double weightDecay = 0) =>
        catalog.TorchImageClassifier(Simple(new TorchImageClassifierTrainer.Options(), labelColumnName, featureColumnName, batchSize, epochs, learningRate, weightDecay));

    static TorchMlpTrainer.Options Simple(string label, string features, int batchSize, int epochs, double learningRate, double weightDecay) =>
        Simple(new TorchMlpTrainer.Options(), label, features, batchSize, epochs, learningRate, weightDecay);

    /// <summary>The one-line overloads' knobs set on <paramref name="options"/>.</summary>
    static T Simple<T>(T options, string label, string features, int batchSize, int epochs, double learningRate, double weightDecay)
        where T : TorchTrainerOptions
    {
        (options.LabelColumnName, options.FeatureColumnName, options.BatchSize) = (label, features, batchSize);
        (options.Epochs, options.LearningRate, options.WeightDecay) = (epochs, learningRate, weightDecay);
        return options;
    }
}
