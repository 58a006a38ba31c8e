using Pipelines.Torch.Onnx;
using Pipelines.Torch.Scoring;

namespace Pipelines.Torch.Trainers;

/// <summary>
/// A multilayer perceptron trained with TorchSharp, as an ML.NET estimator for binary classification,
/// multiclass classification or regression. Create it through the catalogs:
/// <c>mlContext.BinaryClassification.Trainers.TorchMlp(...)</c> and the multiclass and regression twins.
/// </summary>
public sealed class TorchMlpTrainer : TorchTrainer<TorchMlpTrainer.Options, TorchMlpModel>
{
    /// <summary>Options of the MLP trainers: the shared training options plus the network's shape.</summary>
    public sealed class Options : TorchTrainerOptions
    {
        /// <summary>Widths of the hidden layers, input side first.</summary>
        public int[] HiddenLayers { get; set; } = { 64, 64 };

        /// <summary>Dropout probability after each hidden layer (0 disables it).</summary>
        public double Dropout { get; set; }

        public Activation Activation { get; set; } = Activation.ReLU;

        public override void Validate()
        {
            base.Validate();
            Require(HiddenLayers != null && HiddenLayers.All(w => w > 0), nameof(HiddenLayers),
                HiddenLayers == null ? null : "[" + string.Join(", ", HiddenLayers) + "]", "must list positive layer widths (empty for a linear model)");
            Require(Dropout >= 0 && Dropout < 1, nameof(Dropout), Dropout, "must be in [0, 1)");
        }
    }

    internal TorchMlpTrainer(PredictionKind kind, Options options, MLContextSettings context) : base(kind, options, context) { }

    public override TorchMlpModel Fit(IDataView input)
    {
        using var prepared = Prepare(input);
        var (module, report) = prepared.Train(TrainerOptions);
        var network = (MlpNetwork)module;
        TrainingStoppedException.ThrowIfNoModel(report, network);

        var onnx = MlpOnnxExporter.Export(network, prepared.Standardization, prepared.Contract, prepared.LabelScaling);
        var contract = prepared.Contract;
        ITransformer Scoring() => ScoringChain.Build(onnx, contract, input);
        return new TorchMlpModel(Scoring, onnx, report, prepared.Contract, network, prepared.Standardization, prepared.LabelScaling);
    }

    private protected override PreparedTraining Prepare(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = TrainerOptions;
        var contract = ColumnContract.FromSchema(input.Schema, Kind, o.FeatureColumnName, o.LabelColumnName);
        var (seed, device) = StartRun();

        var (train, validation) = TrainingInputs.Read(input, contract, o, seed);
        if (Kind == PredictionKind.BinaryClassification) RequireBothClasses(train, o.LabelColumnName);

        var standardization = o.StandardizeFeatures ? Standardization.Fit(train.Features, train.Rows, train.Dimension) : Standardization.Identity(train.Dimension);
        (float Mean, float Scale) labelScaling = Kind == PredictionKind.Regression ? LabelScaling(train.Labels) : (0f, 1f);
        var head = new TaskHead(Kind, contract.ClassCount) { LabelScale = labelScaling.Scale };

        return new PreparedTraining
        {
            Contract = contract,
            Standardization = standardization,
            LabelScaling = labelScaling,
            Head = head,
            Tensors = TrainingInputs.ToTensors(train, validation, standardization, labelScaling, head, device),
            Device = device,
            Seed = seed,
            CreateNetwork = generator => new MlpNetwork(contract.Dimension, o.HiddenLayers, head.Outputs, o.Activation, o.Dropout, generator),
        };
    }


    static void RequireBothClasses(TabularData train, string labelColumn)
    {
        int positives = train.Labels.Count(v => v > 0.5f);
        if (positives == 0 || positives == train.Rows)
            throw new ArgumentException(
                $"Label column '{labelColumn}' has a single class in the training data (all {train.Rows} rows are {(positives == 0 ? "false" : "true")}); " +
                "binary classification needs examples of both classes.");
    }

    static (float Mean, float Scale) LabelScaling(float[] labels)
    {
        double mean = labels.Average(v => (double)v);
        double sd = Math.Sqrt(labels.Average(v => (v - mean) * (v - mean)));
        return ((float)mean, sd > 1e-12 ? (float)sd : 1f);
    }
}
