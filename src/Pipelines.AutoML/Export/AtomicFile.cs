using System.Text;

namespace Pipelines.AutoML.Export;

/// <summary>
/// Writes a file whole or not at all: to a temporary file beside it whose name carries this process's id (so two
/// processes never share one), flushed to disk, then renamed over the target. A process killed while writing leaves
/// the old file (or none) and at most a stray temporary file, never half a file.
/// </summary>
public static class AtomicFile
{
    static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static void WriteAllText(string path, string text, Encoding? encoding = null) =>
        Write(path, stream =>
        {
            var bytes = (encoding ?? Utf8).GetBytes(text);
            stream.Write(bytes);
        });

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Writes the file with <paramref name="write"/>, which gets the temporary file's stream.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var temporary = TemporaryPath(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The temporary file for <paramref name="path"/>: beside it (a rename never crosses disks), named for this process.</summary>
    public static string TemporaryPath(string path) =>
        $"{path}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..8]}.tmp";
}
