using System.Text.Json;
using Pipelines.AutoML.Export;

namespace Pipelines.Cli.Runs;

/// <summary>
/// One owner per output folder: an OS lock on .pipelines.lock (a FileStream opened with FileShare.None, which the OS
/// releases when the process dies, however it dies) and .pipelines.owner.json saying who holds it (pid, machine, since
/// when, which command), for the message a second process gets. Taken by every command that writes a run
/// (classification, regression, image-classification, resume, and --force before it deletes anything), after every
/// check of the input and before the first write. While it is held no other process of this tool works on the
/// folder, so a Running trial found in its study belongs to a process that is gone.
/// </summary>
internal sealed class FolderLock : IDisposable
{
    public const string LockFileName = ".pipelines.lock";
    public const string OwnerFileName = ".pipelines.owner.json";

    readonly FileStream _lock;
    readonly string _ownerFile;

    FolderLock(FileStream held, string ownerFile) => (_lock, _ownerFile) = (held, ownerFile);

    /// <summary>The owner a lock file names.</summary>
    public sealed record Owner(int Pid, string Machine, DateTimeOffset Since, string Command);

    /// <summary>Takes the folder (creating it), or throws exit 1 naming the process that holds it.</summary>
    public static FolderLock Take(string folder, string command)
    {
        Directory.CreateDirectory(folder);
        var lockPath = Path.Combine(folder, LockFileName);
        // The lock file stays: deleting it would let a third process lock a new file while the old one is still held.
        var held = Hold(lockPath, FileMode.OpenOrCreate) ?? throw CliException.Input(HeldMessage(folder));
        var ownerFile = Path.Combine(folder, OwnerFileName);
        var owner = new Owner(Environment.ProcessId, Environment.MachineName, DateTimeOffset.UtcNow, command);
        AtomicFile.WriteAllText(ownerFile, JsonSerializer.Serialize(owner, JsonSerializerOptions.Web));
        return new FolderLock(held, ownerFile);
    }

    /// <summary>
    /// Fails, naming the owner, when a live process holds <paramref name="folder"/>; writes nothing (a folder or lock
    /// file that is not there is not created), so commands call it before their checks to fail fast.
    /// </summary>
    public static void ThrowIfHeld(string folder)
    {
        var lockPath = Path.Combine(folder, LockFileName);
        if (!File.Exists(lockPath)) return;
        try
        {
            using var probe = Hold(lockPath, FileMode.Open) ?? throw CliException.Input(HeldMessage(folder));
        }
        catch (FileNotFoundException)
        {
        }
    }

    /// <summary>How long a process waits for a lock that is held, before it calls the holder an owner.</summary>
    static readonly TimeSpan ProbeWindow = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The lock on <paramref name="lockPath"/>, or null when another process keeps it for <see cref="ProbeWindow"/>.
    /// A probe (<see cref="ThrowIfHeld"/>) holds the lock for a moment too, so a process that meets a held lock tries
    /// again for a while: two runs started together would otherwise each see the other's probe and both give up.
    /// </summary>
    static FileStream? Hold(string lockPath, FileMode mode)
    {
        var deadline = DateTime.UtcNow + ProbeWindow;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, mode, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not FileNotFoundException)
            {
                if (DateTime.UtcNow >= deadline) return null;
                Thread.Sleep(25);
            }
        }
    }

    /// <summary>Who holds <paramref name="folder"/>, from its owner file; null when it has none or it cannot be read.</summary>
    public static Owner? ReadOwner(string folder)
    {
        try
        {
            return JsonSerializer.Deserialize<Owner>(File.ReadAllText(Path.Combine(folder, OwnerFileName)), JsonSerializerOptions.Web);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    static string HeldMessage(string folder)
    {
        // The owner writes its file just after taking the lock: a process that lost the race by a moment waits for it.
        var owner = ReadOwner(folder);
        for (int wait = 0; owner == null && wait < 10; wait++)
        {
            Thread.Sleep(100);
            owner = ReadOwner(folder);
        }
        var who = owner is { } o
            ? $"process {o.Pid} on {o.Machine} (`pipelines {o.Command}`, since {o.Since.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC)"
            : "another process (it has not written its owner file yet)";
        return $"The output folder {folder} is in use by {who}. Wait for that run to end or stop it (then `pipelines resume --output {folder}` " +
            "continues it), or choose another folder with -o.";
    }

    public void Dispose()
    {
        // The owner file goes first, while the lock still keeps any other process from writing its own.
        try { File.Delete(_ownerFile); }
        catch (IOException) { }
        _lock.Dispose();
    }
}
