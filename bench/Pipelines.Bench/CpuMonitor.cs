using System.Diagnostics;

namespace Pipelines.Bench;

/// <summary>
/// How much CPU the rest of the machine used while we measured, from /proc/stat (all CPUs, steal included) minus
/// /proc/self/stat (this process). On a shared 2-core machine a concurrent build halves throughput, so each
/// measurement round records the share of the machine others took, and rounds start only once the machine is quiet.
/// Off Linux it reports zero and never waits.
/// </summary>
sealed class CpuMonitor
{
    const double TicksPerSecond = 100; // USER_HZ on Linux
    static readonly bool Available = File.Exists("/proc/stat") && File.Exists("/proc/self/stat");

    readonly long _machineBusy, _own;
    readonly Stopwatch _watch = Stopwatch.StartNew();

    CpuMonitor() => (_machineBusy, _own) = Read();

    public static CpuMonitor Start() => new();

    /// <summary>The share of the whole machine's CPU time (0..1) that other processes (and the hypervisor) took since Start.</summary>
    public double OthersShare()
    {
        if (!Available) return 0;
        var (busy, own) = Read();
        double capacity = _watch.Elapsed.TotalSeconds * TicksPerSecond * Environment.ProcessorCount;
        return capacity <= 0 ? 0 : Math.Clamp((busy - _machineBusy - (own - _own)) / capacity, 0, 1);
    }

    /// <summary>Waits until others use under <paramref name="threshold"/> of the machine over half a second, for at most <paramref name="maxWait"/>; returns whether it got quiet.</summary>
    public static bool WaitForQuiet(TimeSpan maxWait, double threshold = 0.05)
    {
        if (!Available) return true;
        var waited = Stopwatch.StartNew();
        do
        {
            var monitor = Start();
            Thread.Sleep(500);
            if (monitor.OthersShare() < threshold) return true;
        } while (waited.Elapsed < maxWait);
        return false;
    }

    static (long MachineBusy, long Own) Read()
    {
        if (!Available) return (0, 0);
        // cpu  user nice system idle iowait irq softirq steal ...
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long busy = new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(cpu[i]));
        // /proc/self/stat: "pid (comm) state ..." ; utime and stime are fields 14 and 15, i.e. 11 and 12 after the ')'.
        var self = File.ReadAllText("/proc/self/stat");
        var rest = self[(self.LastIndexOf(')') + 2)..].Split(' ');
        long own = long.Parse(rest[11]) + long.Parse(rest[12]);
        return (busy, own);
    }
}
