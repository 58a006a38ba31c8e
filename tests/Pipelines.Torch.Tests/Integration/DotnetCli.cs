using System.Diagnostics;
using System.Text;

namespace Pipelines.Torch.Tests.Integration;

/// <summary>What one child process did: its exit code, its stdout and stderr interleaved, and how long it ran.</summary>
public sealed record ProcessResult(string CommandLine, string WorkingDirectory, int ExitCode, bool TimedOut, TimeSpan Elapsed, string Output)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>A report for assertion messages: the command, how it ended, and its whole output.</summary>
    public string Describe() =>
        $"`{CommandLine}` in {WorkingDirectory} " +
        (TimedOut ? $"timed out after {Elapsed.TotalSeconds:F0} s" : $"exited with {ExitCode} after {Elapsed.TotalSeconds:F1} s") +
        $"; output:{Environment.NewLine}{Output}";
}

/// <summary>Runs the dotnet CLI (and apps through it) as a child process with a timeout.</summary>
public static class DotnetCli
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The dotnet executable that runs these tests, so child builds use the same SDK installation.</summary>
    public static string Executable { get; } = FindDotnet();

    /// <summary>
    /// Runs <c>dotnet args...</c> in <paramref name="workingDirectory"/>. Stops the whole process tree when it runs past
    /// <paramref name="timeout"/>. Never throws for a failing command: callers assert on the result.
    /// </summary>
    public static ProcessResult Run(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        IsolateEnvironment(start.Environment);

        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line == null) return;
            lock (output) output.AppendLine(line);
        }

        var commandLine = "dotnet " + string.Join(' ', args.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        bool timedOut = false;
        using (var cancel = new CancellationTokenSource(timeout))
        {
            try
            {
                // Waits for the exit and for the end of both redirected streams.
                process.WaitForExitAsync(cancel.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                if (!process.HasExited)
                {
                    timedOut = true;
                    try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                }
                else
                {
                    Append("[test harness: the process exited but a descendant kept its output open; output may be incomplete]");
                }
                process.WaitForExit(10_000);
            }
        }
        clock.Stop();

        string text;
        lock (output) text = output.ToString();
        return new ProcessResult(commandLine, workingDirectory, timedOut || !process.HasExited ? -1 : process.ExitCode, timedOut, clock.Elapsed, text);
    }

    /// <summary>
    /// A child build must behave like a developer's own build, not inherit the MSBuild state of the <c>dotnet test</c>
    /// that runs these tests, and must not leave reusable build nodes behind that hold its output pipes open.
    /// </summary>
    static void IsolateEnvironment(IDictionary<string, string?> environment)
    {
        foreach (var key in environment.Keys.ToList())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) ||
                key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) ||
                key.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase))
                environment.Remove(key);
        }
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
    }

    static string FindDotnet()
    {
        var self = Environment.ProcessPath;
        if (self != null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            return self;
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, name))) return Path.Combine(root, name);
        return name; // resolved through PATH
    }
}
