using System.Reflection;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// Stops a running ML.NET fit (FastTree, FastForest, LightGBM, SDCA, L-BFGS) when a trial's token is cancelled,
/// so a pruned, cancelled or out-of-budget trial ends at the trainer's next check instead of running to the end.
/// ML.NET trainers check <c>IHostEnvironment.IsCanceled</c> between iterations (<c>CheckAlive</c>) and then throw
/// <see cref="OperationCanceledException"/>; <c>MLContext.CancelExecution</c> sets it, but ML.NET makes that
/// method public only through its Microsoft.ML.Experimental package, which our feed does not serve, so we call
/// it by reflection. If a future ML.NET renames it, fits run to their end, as they did before.
/// </summary>
internal static class MLContextCancellation
{
    static readonly MethodInfo? CancelExecution =
        typeof(MLContext).GetMethod("CancelExecution", BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes);

    /// <summary>Whether this ML.NET version lets us stop a fit.</summary>
    public static bool IsSupported => CancelExecution != null;

    /// <summary>Cancels <paramref name="mlContext"/>'s work when <paramref name="token"/> is cancelled; dispose the result once the fit is over.</summary>
    public static CancellationTokenRegistration CancelOn(MLContext mlContext, CancellationToken token) =>
        CancelExecution == null ? default : token.Register(() => CancelExecution.Invoke(mlContext, null));
}
