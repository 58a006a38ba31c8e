using Pipelines.Torch.Native;
using Pipelines.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Torch.Tests;

/// <summary>TorchSharp loads and computes on this machine; devices resolve as documented.</summary>
public class TorchRuntimeTests
{
    [Fact]
    public void TorchSharpLoadsAndComputes()
    {
        TorchRuntime.EnsureInitialized();
        using var a = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        using var b = tensor(new float[] { 5, 6, 7, 8 }, new long[] { 2, 2 });
        using var c = a.matmul(b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());

        // A backward pass exercises autograd in the native library too.
        using var x = tensor(new float[] { 3 }, requires_grad: true);
        using var y = x.pow(2);
        y.backward();
        Assert.Equal(6f, x.grad!.item<float>());
    }

    [Fact]
    public void TheGlueThatWasLoadedHasTheFixWhereTheSystemNeedsIt()
    {
        TorchRuntime.EnsureInitialized();
        var glue = Directory.EnumerateFiles(AppContext.BaseDirectory, LibStdCxxCompat.TorchSharpGlue, SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(glue);
        if (!LibStdCxxCompat.SystemNeedsFix()) return;
        Assert.All(glue, f => Assert.Equal(LibStdCxxCompat.NeedState.Weak, LibStdCxxCompat.GetNeedState(f, LibStdCxxCompat.RequiredVersion)));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("CPU")]
    [InlineData(" cpu ")]
    public void CpuResolves(string device) => Assert.Equal(DeviceType.CPU, TorchRuntime.ResolveDevice(device).type);

    [Fact]
    public void AutoPicksCudaOnlyWhenAvailable()
    {
        var device = TorchRuntime.ResolveDevice("auto");
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, device.type);
        Assert.Equal(device.type, TorchRuntime.ResolveDevice(null).type);
    }

    [Fact]
    public void GpuDeviceIdWithAutoFallsBackToCpuWithoutCuda()
    {
        if (cuda.is_available()) return;
        Assert.Equal(DeviceType.CPU, TorchRuntime.ResolveDevice("auto", gpuDeviceId: 0).type);
        Assert.Throws<InvalidOperationException>(() => TorchRuntime.ResolveDevice("cuda:1"));
        Assert.Equal(DeviceType.CPU, TorchRuntime.ResolveDevice("cuda:1", fallbackToCpu: true).type);
    }

    [Theory]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("gpu0")]
    [InlineData("mps")]
    public void MalformedDevicesAreRejected(string device)
    {
        var e = Assert.Throws<ArgumentException>(() => TorchRuntime.ResolveDevice(device));
        Assert.Contains($"'{device}'", e.Message);
    }
}
