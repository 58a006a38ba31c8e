using System.Reflection;
using Microsoft.ML.Runtime;

namespace Pipelines.Torch.Runtime;

/// <summary>
/// The MLContext settings a trainer honours: its seed, <see cref="MLContext.GpuDeviceId"/> and
/// <see cref="MLContext.FallbackToCpu"/>.
/// </summary>
/// <remarks>
/// ML.NET keeps the environment behind a catalog internal (IInternalCatalog.Environment), and the seed, GPU id and
/// CPU fallback on an internal interface. Third-party trainers reach the catalog only, so we read them by
/// reflection, in this one place, and fall back to "not set" if a future ML.NET renames them.
/// </remarks>
internal sealed record MLContextSettings(IHostEnvironment? Environment, int? GpuDeviceId, bool FallbackToCpu)
{
    public static readonly MLContextSettings None = new(null, null, false);

    public static MLContextSettings From(object catalog)
    {
        try
        {
            var mlAssembly = typeof(MLContext).Assembly;
            var internalCatalog = mlAssembly.GetType("Microsoft.ML.Data.IInternalCatalog");
            var env = internalCatalog?.GetProperty("Environment")?.GetValue(catalog) as IHostEnvironment;
            if (env == null) return None;
            var internalEnv = typeof(IHostEnvironment).Assembly.GetType("Microsoft.ML.Runtime.IHostEnvironmentInternal");
            int? gpu = internalEnv?.GetProperty("GpuDeviceId")?.GetValue(env) as int?;
            bool fallback = internalEnv?.GetProperty("FallbackToCpu")?.GetValue(env) as bool? ?? false;
            return new MLContextSettings(env, gpu, fallback);
        }
        catch (Exception e) when (e is TargetInvocationException or MemberAccessException or InvalidCastException)
        {
            return None;
        }
    }

    /// <summary>A seed drawn from the MLContext's random source (deterministic under <c>new MLContext(seed)</c>).</summary>
    public int DrawSeed()
    {
        if (Environment != null) return Environment.Register("Pipelines.Torch").Rand.Next();
        return System.Random.Shared.Next();
    }
}
