using System.Security.Cryptography;

namespace Pipelines.Cli.Runs;

/// <summary>
/// SHA-256 of a run's data source, so that a worker on another machine can tell whether its copy is the study's: of
/// a file its bytes; of an image folder each file's relative path and bytes, in ordinal order of the paths.
/// </summary>
internal static class DataChecksum
{
    public static string Of(string path)
    {
        if (File.Exists(path)) return Hex(SHA256.HashData(File.ReadAllBytes(path)));
        if (!Directory.Exists(path)) throw CliException.Input($"The data set {path} is not on this machine.");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(path, file).Replace('\\', '/') + "\n"));
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(file)));
        }
        return Hex(hash.GetHashAndReset());
    }

    static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
