using System.Security.Cryptography;

namespace Pipelines.Cli.Runs;

/// <summary>
/// SHA-256 of a run's data source, so that a worker on another machine can tell whether its copy is the study's: of
/// a file its bytes; of an image folder each file's relative path and bytes, in ordinal order of the paths. Files are
/// hashed as streams, so a data file of any size costs a buffer, not its size in memory.
/// </summary>
internal static class DataChecksum
{
    public static string Of(string path)
    {
        if (File.Exists(path)) return Hex(HashOfFile(path));
        if (!Directory.Exists(path)) throw CliException.Input($"The data set {path} is not on this machine.");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(path, file).Replace('\\', '/') + "\n"));
            hash.AppendData(HashOfFile(file));
        }
        return Hex(hash.GetHashAndReset());
    }

    static byte[] HashOfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return SHA256.HashData(stream);
    }

    static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
