namespace Pipelines.Torch.Networks;

/// <summary>The convolutional networks of the image classifier.</summary>
public enum ImageArchitecture
{
    /// <summary>
    /// <c>Depth</c> stages of 3x3 convolution, batch normalization, ReLU and 2x2 max pooling (channels
    /// <c>Width</c>, 2 x <c>Width</c>, ...), then a hidden fully connected layer of 4 x <c>Width</c> units with dropout.
    /// Fast on the CPU; Fashion-MNIST reaches 0.90 test accuracy in a few epochs.
    /// </summary>
    SmallCnn,

    /// <summary>
    /// A small residual network: a 3x3 stem of <c>Width</c> channels, then <c>Depth</c> basic residual blocks (two 3x3
    /// convolutions with batch normalization and a skip connection; each block after the first halves the resolution
    /// and doubles the channels), global average pooling, dropout and a linear classifier.
    /// </summary>
    ResNet,
}
