using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pipelines.Cli.Tests;

/// <summary>Ctrl+C for a process without a terminal: SIGINT, as a shell sends it.</summary>
public static class Signals
{
    const int SIGINT = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);

    public static void Interrupt(Process process)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) throw new PlatformNotSupportedException("SIGINT needs a Unix system.");
        if (Kill(process.Id, SIGINT) != 0) throw new InvalidOperationException($"kill({process.Id}, SIGINT) failed: errno {Marshal.GetLastPInvokeError()}.");
    }
}
