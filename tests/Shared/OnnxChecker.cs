using System.Diagnostics;

namespace Pipelines.Testing;

/// <summary>
/// The reference `onnx` checker (Debian's python3-onnx, with the system Python: the python3 first on PATH may lack
/// numpy), run with full shape inference. Where it is not installed the check is skipped and says so.
/// </summary>
internal static class OnnxChecker
{
    const string Python = "/usr/bin/python3";
    const string Script = "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)";

    static readonly Lazy<bool> Available = new(() => File.Exists(Python) && RunPython("-c", "import onnx").ExitCode == 0);

    public static bool IsAvailable => Available.Value;

    /// <summary>
    /// Fails the test with the checker's message when <paramref name="model"/> is not valid ONNX. Without the checker
    /// the check is skipped, and <paramref name="note"/> hears why.
    /// </summary>
    public static void AssertValid(byte[] model, Action<string>? note = null)
    {
        if (!IsAvailable)
        {
            note?.Invoke($"The onnx checker is not installed ({Python} cannot import onnx; apt-get install python3-onnx): the check was skipped.");
            return;
        }
        var path = Path.Combine(Path.GetTempPath(), $"pipelines-check-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model);
        try
        {
            var (code, output) = RunPython("-c", Script, path);
            Xunit.Assert.True(code == 0, $"The onnx checker rejects the model: {output}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    static (int ExitCode, string Output) RunPython(params string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
