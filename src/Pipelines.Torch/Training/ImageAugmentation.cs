using static TorchSharp.torch;

namespace Pipelines.Torch.Training;

/// <summary>
/// Training-time augmentation of a batch of flat, standardized images: a random horizontal flip (probability 0.5) and
/// a random crop of the original size from the image padded with black on every side. Random numbers come from the
/// trainer's generator, so runs repeat under a seed. Padding uses the standardized value of a black (0) pixel, as
/// torchvision's RandomCrop pads the raw image with zeros before normalization.
/// </summary>
internal sealed class ImageAugmentation
{
    readonly ImageShape _shape;
    readonly int _padding;
    readonly bool _flip;
    readonly Generator _generator;
    readonly float[] _black;

    public ImageAugmentation(ImageShape shape, int padding, bool horizontalFlip, Standardization standardization, Generator generator)
    {
        _shape = shape;
        _padding = padding;
        _flip = horizontalFlip;
        _generator = generator;
        int plane = shape.Height * shape.Width;
        // Standardization is per channel for images: every pixel of a channel shares its mean and scale.
        _black = Enumerable.Range(0, shape.Channels).Select(c => -standardization.Mean[c * plane] / standardization.Scale[c * plane]).ToArray();
    }

    public bool IsActive => _padding > 0 || _flip;

    public Tensor Apply(Tensor flatBatch)
    {
        using var scope = NewDisposeScope();
        long n = flatBatch.shape[0];
        var device = flatBatch.device;
        var x = flatBatch.reshape(n, _shape.Channels, _shape.Height, _shape.Width);
        if (_flip)
        {
            var flipped = rand(new[] { n }, generator: _generator).lt(HeldScalars.Half).to(device).reshape(n, 1, 1, 1);
            x = where(flipped, x.flip(3), x);
        }
        if (_padding > 0)
        {
            int p = _padding;
            var black = tensor(_black, new long[] { 1, _shape.Channels, 1, 1 }).to(device);
            var padded = nn.functional.pad(x.sub(black), new long[] { p, p, p, p }).add_(black, HeldScalars.One);
            // One gather for the whole batch: sample i takes rows dy_i..dy_i+H-1 and columns dx_i..dx_i+W-1.
            var dy = randint(0, 2 * p + 1, new[] { n }, dtype: int64, generator: _generator).to(device);
            var dx = randint(0, 2 * p + 1, new[] { n }, dtype: int64, generator: _generator).to(device);
            var rows = dy.reshape(n, 1, 1, 1).add(arange(_shape.Height, dtype: int64, device: device).reshape(1, 1, _shape.Height, 1), HeldScalars.One);
            var columns = dx.reshape(n, 1, 1, 1).add(arange(_shape.Width, dtype: int64, device: device).reshape(1, 1, 1, _shape.Width), HeldScalars.One);
            var samples = arange(n, dtype: int64, device: device).reshape(n, 1, 1, 1);
            var channels = arange(_shape.Channels, dtype: int64, device: device).reshape(1, _shape.Channels, 1, 1);
            x = padded.index(TensorIndex.Tensor(samples), TensorIndex.Tensor(channels), TensorIndex.Tensor(rows), TensorIndex.Tensor(columns));
        }
        return x.reshape(n, -1).MoveToOuterDisposeScope();
    }
}
