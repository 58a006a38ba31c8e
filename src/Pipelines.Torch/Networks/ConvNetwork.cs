using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Torch.Networks;

/// <summary>A convolution without bias followed by batch normalization: the unit both architectures are built of.</summary>
internal sealed class ConvBn : nn.Module<Tensor, Tensor>
{
    public const double Epsilon = 1e-5;
    public Conv2d Conv { get; }
    public BatchNorm Norm { get; }
    public int Kernel { get; }
    public int Stride { get; }
    public int Padding => Kernel / 2;

    public ConvBn(int inputs, int outputs, int kernel, int stride, Generator generator) : base(nameof(ConvBn))
    {
        Kernel = kernel;
        Stride = stride;
        Conv = nn.Conv2d(inputs, outputs, kernel, stride: stride, padding: kernel / 2, bias: false);
        SeededInit.Uniform(Conv.weight!, (long)inputs * kernel * kernel, generator);
        Norm = new CountingBatchNorm2d(outputs, Epsilon);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var convolved = Conv.forward(input);
        return Norm.forward(convolved);
    }
}

/// <summary>Two 3x3 ConvBn units with a skip connection (a 1x1 ConvBn where the shape changes).</summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    public ConvBn First { get; }
    public ConvBn Second { get; }
    public ConvBn? Shortcut { get; }

    public ResidualBlock(int inputs, int outputs, int stride, Generator generator) : base(nameof(ResidualBlock))
    {
        First = new ConvBn(inputs, outputs, 3, stride, generator);
        Second = new ConvBn(outputs, outputs, 3, 1, generator);
        if (stride != 1 || inputs != outputs) Shortcut = new ConvBn(inputs, outputs, 1, stride, generator);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var main = Second.forward(nn.functional.relu(First.forward(input)));
        var skip = Shortcut?.forward(input) ?? input;
        return nn.functional.relu(main.add(skip, HeldScalars.One)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// The image classifier's network (see <see cref="ImageArchitecture"/>). It takes the flat, standardized pixel vector
/// [N, C*H*W] and reshapes it to [N, C, H, W] itself, so the training loop and the ONNX input are the same as the MLP's.
/// </summary>
internal sealed class ConvNetwork : nn.Module<Tensor, Tensor>
{
    readonly ModuleList<ConvBn> _stages = new();          // SmallCnn: one per stage, each followed by max pooling
    readonly ModuleList<ResidualBlock> _blocks = new();   // ResNet: after the stem
    readonly ConvBn? _stem;                               // ResNet
    readonly Linear? _hidden;                             // SmallCnn
    readonly Linear _classifier;
    readonly SeededDropout? _dropout;

    public ImageArchitecture Architecture { get; }
    public ImageShape Shape { get; }
    public IReadOnlyList<ConvBn> Stages => _stages.ToList();
    /// <summary>SmallCnn: whether stage i is followed by 2x2 max pooling (not once the feature map is down to one pixel).</summary>
    public IReadOnlyList<bool> PoolAfterStage { get; }
    public ConvBn? Stem => _stem;
    public IReadOnlyList<ResidualBlock> Blocks => _blocks.ToList();
    public Linear? Hidden => _hidden;
    public Linear Classifier => _classifier;

    public ConvNetwork(ImageShape shape, ImageArchitecture architecture, int width, int depth, double dropout, int classes, Generator generator)
        : base(nameof(ConvNetwork))
    {
        Shape = shape;
        Architecture = architecture;
        int channels = shape.Channels, height = shape.Height, widthPixels = shape.Width;
        var pools = new List<bool>();
        if (architecture == ImageArchitecture.SmallCnn)
        {
            for (int s = 0; s < depth; s++)
            {
                int outputs = width << s;
                _stages.Add(new ConvBn(channels, outputs, 3, 1, generator));
                bool pool = height >= 2 && widthPixels >= 2;
                pools.Add(pool);
                if (pool) { height /= 2; widthPixels /= 2; }
                channels = outputs;
            }
            int flat = channels * height * widthPixels;
            _hidden = SeededInit.Linear(flat, 4 * width, generator);
            _classifier = SeededInit.Linear(4 * width, classes, generator);
        }
        else
        {
            _stem = new ConvBn(channels, width, 3, 1, generator);
            channels = width;
            for (int b = 0; b < depth; b++)
            {
                int outputs = b == 0 ? width : channels * 2;
                _blocks.Add(new ResidualBlock(channels, outputs, b == 0 ? 1 : 2, generator));
                channels = outputs;
            }
            _classifier = SeededInit.Linear(channels, classes, generator);
        }
        PoolAfterStage = pools;
        if (dropout > 0) _dropout = new SeededDropout(dropout, generator);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.reshape(-1, Shape.Channels, Shape.Height, Shape.Width);
        if (Architecture == ImageArchitecture.SmallCnn)
        {
            for (int s = 0; s < _stages.Count; s++)
            {
                x = nn.functional.relu(_stages[s].forward(x));
                if (PoolAfterStage[s]) x = nn.functional.max_pool2d(x, 2);
            }
            x = x.flatten(1);
            if (_dropout != null) x = _dropout.forward(x);
            x = nn.functional.relu(_hidden!.forward(x));
        }
        else
        {
            x = nn.functional.relu(_stem!.forward(x));
            foreach (var block in _blocks) x = block.forward(x);
            x = x.mean(new long[] { 2, 3 });
        }
        if (_dropout != null) x = _dropout.forward(x);
        return _classifier.forward(x).MoveToOuterDisposeScope();
    }
}
