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
        FileStream held;
        try
        {
            // The lock file stays: deleting it would let a third process lock a new file while the old one is still held.
            held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw CliException.Input(HeldMessage(folder));
        }
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
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (FileNotFoundException)
        {
        }
        catch (IOException)
        {
            throw CliException.Input(HeldMessage(folder));
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
        var who = ReadOwner(folder) is { } o
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
