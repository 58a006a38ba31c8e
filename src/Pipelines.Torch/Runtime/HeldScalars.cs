using TorchSharp;

namespace Pipelines.Torch.Runtime;

/// <summary>
/// Scalars that live as long as the process, for tensor calls on the training and scoring paths. TorchSharp (0.107)
/// turns a number passed to a tensor method into a temporary <see cref="Scalar"/> and keeps nothing pointing at it
/// during the native call, and <c>a + b</c> or <c>add(b)</c> passes such a temporary 1: a garbage collection started on
/// another thread can finalize it while LibTorch reads it (see <see cref="Training.Optimizers.WeightOptimizer"/>). Pass
/// one of these, a scalar held in a field, or one in a <c>using</c> instead.
/// </summary>
internal static class HeldScalars
{
    /// <summary>1 as an integer: a valid scale (<c>alpha</c>) for integral and floating tensors alike.</summary>
    public static readonly Scalar One = 1L.ToScalar();
    public static readonly Scalar Zero = 0.0.ToScalar();
    public static readonly Scalar Half = 0.5.ToScalar();
}
