using Pipelines.Torch.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Torch.Runtime;

/// <summary>Loading TorchSharp's native runtime and choosing the device a trainer runs on.</summary>
public static class TorchRuntime
{
    static readonly object Gate = new();
    static bool _initialized;

    /// <summary>
    /// Makes sure TorchSharp's native libraries load. On Linux systems whose libstdc++ predates GCC 13 this relaxes
    /// the version need of the glue library next to the application, a fallback for apps that reference
    /// Pipelines.Torch as a project (package consumers get the same fix at build time). Safe to call many times.
    /// </summary>
    public static void EnsureInitialized()
    {
        if (_initialized) return;
        lock (Gate)
        {
            if (_initialized) return;
            try
            {
                LibStdCxxCompat.FixDirectory(AppContext.BaseDirectory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException(
                    $"TorchSharp's native library needs {LibStdCxxCompat.RequiredVersion}, which this system's libstdc++ " +
                    $"lacks, and Pipelines.Torch could not patch the copy under '{AppContext.BaseDirectory}': {e.Message}. " +
                    "Build the application with the Pipelines.Torch package (its build step applies the fix) or make that folder writable.", e);
            }
            _ = torch.ones(1); // forces the native backend to load now, with TorchSharp's own diagnostics on failure
            _initialized = true;
        }
    }

    /// <summary>
    /// Resolves a device string: "auto" (CUDA when available, else CPU), "cpu", "cuda" or "cuda:N".
    /// <paramref name="gpuDeviceId"/> is MLContext.GpuDeviceId: with "auto" it selects that CUDA device.
    /// When CUDA is requested but unavailable, <paramref name="fallbackToCpu"/> decides between CPU and an error.
    /// </summary>
    public static Device ResolveDevice(string? device, int? gpuDeviceId = null, bool fallbackToCpu = false)
    {
        EnsureInitialized();
        var text = string.IsNullOrWhiteSpace(device) ? "auto" : device.Trim().ToLowerInvariant();
        int? cudaIndex;
        if (text == "auto")
        {
            if (gpuDeviceId == null) return cuda.is_available() ? new Device(DeviceType.CUDA, 0) : CPU;
            cudaIndex = gpuDeviceId;
            fallbackToCpu = true;
        }
        else if (text == "cpu") return CPU;
        else if (text == "cuda" || text == "gpu") cudaIndex = gpuDeviceId ?? 0;
        else if (text.StartsWith("cuda:") && int.TryParse(text.AsSpan(5), out var index) && index >= 0) cudaIndex = index;
        else
            throw new ArgumentException($"Device '{device}' is not recognized: expected 'auto', 'cpu', 'cuda' or 'cuda:N'.", nameof(device));

        if (cuda.is_available() && cudaIndex < cuda.device_count()) return new Device(DeviceType.CUDA, cudaIndex.Value);
        if (fallbackToCpu) return CPU;
        throw new InvalidOperationException(
            $"Device '{device ?? "auto"}' asks for CUDA device {cudaIndex}, but " +
            (cuda.is_available() ? $"only {cuda.device_count()} CUDA device(s) are visible." :
                "CUDA is not available (build with -p:TorchBackend=cuda-linux or cuda-windows and an NVIDIA driver).") +
            " Set Device = \"cpu\" or MLContext.FallbackToCpu = true to train on the CPU.");
    }
}
