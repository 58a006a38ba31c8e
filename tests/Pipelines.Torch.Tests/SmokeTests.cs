using static TorchSharp.torch;
public class SmokeTests
{
    [Fact]
    public void TorchComputes()
    {
        using var a = ones(2, 3);
        Assert.Equal(6f, a.sum().item<float>());
    }
}
