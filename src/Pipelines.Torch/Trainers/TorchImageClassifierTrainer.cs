using Pipelines.Torch.Onnx;
using Pipelines.Torch.Scoring;

namespace Pipelines.Torch.Trainers;

/// <summary>
/// A convolutional image classifier trained with TorchSharp, as an ML.NET multiclass estimator:
/// <c>mlContext.MulticlassClassification.Trainers.TorchImageClassifier(...)</c>. The feature column holds the pixels
/// as a known-size Single vector, planar (channel, row, column): the output of ML.NET's ExtractPixels, of
/// <see cref="ImageFolder"/>, of <see cref="ImageDatasets.LoadIdx"/>, or any vector with a declared image shape.
/// The label is a key, as for every ML.NET multiclass trainer.
/// </summary>
public sealed class TorchImageClassifierTrainer : TorchTrainer<TorchImageClassifierTrainer.Options, TorchImageClassifierModel>
{
    /// <summary>Options of the image classifier: the shared training options, the network and augmentation.</summary>
    public sealed class Options : TorchTrainerOptions
    {
        public Options()
        {
            BatchSize = TrainerDefaults.ImageBatchSize;
            Epochs = TrainerDefaults.ImageEpochs;
            ReferenceBatchSize = TrainerDefaults.ImageBatchSize;
        }

        public ImageArchitecture Architecture { get; set; } = ImageArchitecture.SmallCnn;

        /// <summary>Channels of the first convolution; each later stage (block) doubles them.</summary>
        public int Width { get; set; } = 32;

        /// <summary>SmallCnn: convolution stages, each halving the resolution. ResNet: residual blocks after the stem.</summary>
        public int Depth { get; set; } = 2;

        /// <summary>Dropout before the fully connected layers (0 disables it).</summary>
        public double Dropout { get; set; } = 0.25;

        /// <summary>Augmentation: pad each training image by this many black pixels and crop back at a random offset (0: off).</summary>
        public int RandomCropPadding { get; set; }

        /// <summary>Augmentation: flip training images left to right with probability 0.5.</summary>
        public bool HorizontalFlip { get; set; }

        /// <summary>Image channels, for a feature vector that does not carry image dimensions (with ImageHeight and ImageWidth).</summary>
        public int? ImageChannels { get; set; }

        /// <summary>Image height in pixels, for a feature vector that does not carry image dimensions.</summary>
        public int? ImageHeight { get; set; }

        /// <summary>Image width in pixels, for a feature vector that does not carry image dimensions.</summary>
        public int? ImageWidth { get; set; }

        public override void Validate()
        {
            base.Validate();
            Require(Width is > 0 and <= 1024, nameof(Width), Width, "must be in [1, 1024] channels");
            Require(Depth is > 0 and <= 8, nameof(Depth), Depth, "must be in [1, 8]");
            Require(Dropout >= 0 && Dropout < 1, nameof(Dropout), Dropout, "must be in [0, 1)");
            Require(RandomCropPadding >= 0, nameof(RandomCropPadding), RandomCropPadding, "must be zero (off) or a positive number of pixels");
            Require(ImageChannels is null or > 0, nameof(ImageChannels), ImageChannels, "must be positive or null");
            Require(ImageHeight is null or > 0, nameof(ImageHeight), ImageHeight, "must be positive or null");
            Require(ImageWidth is null or > 0, nameof(ImageWidth), ImageWidth, "must be positive or null");
        }
    }

    /// <summary>Rows evaluated at once when measuring loss and accuracy: sized so that activations stay near 128 MiB.</summary>
    const long EvaluationActivationBudget = 32L << 20;

    internal TorchImageClassifierTrainer(Options options, MLContextSettings context)
        : base(PredictionKind.MulticlassClassification, options, context) { }

    public override TorchImageClassifierModel Fit(IDataView input)
    {
        using var prepared = Prepare(input);
        var (module, report) = prepared.Train(TrainerOptions);
        var network = (ConvNetwork)module;
        TrainingStoppedException.ThrowIfNoModel(report, network);
        network.eval();
        var onnx = ConvOnnxExporter.Export(network, prepared.Standardization, prepared.Contract);
        var contract = prepared.Contract;
        ITransformer Scoring() => ScoringChain.Build(onnx, contract, input);
        return new TorchImageClassifierModel(Scoring, onnx, report, prepared.Contract, prepared.Shape!.Value, network, prepared.Standardization);
    }

    private protected override PreparedTraining Prepare(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = TrainerOptions;
        var contract = ColumnContract.FromSchema(input.Schema, Kind, o.FeatureColumnName, o.LabelColumnName);
        var shape = ImageShape.Resolve(o.FeatureColumnName, (VectorDataViewType)input.Schema[o.FeatureColumnName].Type, o.ImageChannels, o.ImageHeight, o.ImageWidth);
        var (seed, device) = StartRun();

        var (train, validation) = TrainingInputs.Read(input, contract, o, seed);
        var standardization = o.StandardizeFeatures ? Standardization.FitPerChannel(train.Features, train.Rows, shape) : Standardization.Identity(shape.Size);
        var head = new TaskHead(PredictionKind.MulticlassClassification, contract.ClassCount);

        return new PreparedTraining
        {
            Contract = contract,
            Standardization = standardization,
            Shape = shape,
            Head = head,
            Tensors = TrainingInputs.ToTensors(train, validation, standardization, (0f, 1f), head, device),
            Device = device,
            Seed = seed,
            EvaluationChunk = (int)Math.Clamp(EvaluationActivationBudget / ((long)o.Width * shape.Height * shape.Width), 1, 8192),
            CreateNetwork = generator => new ConvNetwork(shape, o.Architecture, o.Width, o.Depth, o.Dropout, contract.ClassCount, generator),
            CreateAugmentation = generator => new ImageAugmentation(shape, o.RandomCropPadding, o.HorizontalFlip, standardization, generator),
        };
    }

}
