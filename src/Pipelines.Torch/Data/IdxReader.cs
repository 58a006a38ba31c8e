using System.Buffers.Binary;
using System.IO.Compression;

namespace Pipelines.Torch.Data;

/// <summary>An IDX file (the format of MNIST and Fashion-MNIST): unsigned bytes with a shape.</summary>
public sealed record IdxArray(int[] Shape, byte[] Data)
{
    /// <summary>Items along the first dimension (images or labels).</summary>
    public int Count => Shape[0];

    /// <summary>Values per item (rows x columns for images, 1 for labels).</summary>
    public int ItemSize => Shape.Skip(1).Aggregate(1, (a, b) => a * b);
}

/// <summary>
/// Reads IDX files, plain or gzip-compressed (LeCun's format: a magic number 0x00000800 + dimension count, big-endian
/// dimension sizes, then the data). Only unsigned-byte data (type 0x08) is supported, which is what MNIST and
/// Fashion-MNIST use.
/// </summary>
public static class IdxReader
{
    public static IdxArray Read(string path, int? maxItems = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        using var file = File.OpenRead(path);
        using var stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        return Read(stream, path, maxItems);
    }

    public static IdxArray Read(Stream stream, string name, int? maxItems = null)
    {
        Span<byte> header = stackalloc byte[4];
        ReadExactly(stream, header, name, "the magic number");
        if (header[0] != 0 || header[1] != 0)
            throw new InvalidDataException($"'{name}' is not an IDX file: it starts with 0x{header[0]:X2}{header[1]:X2} instead of 0x0000.");
        if (header[2] != 0x08)
            throw new InvalidDataException($"'{name}' holds IDX data type 0x{header[2]:X2}; only unsigned bytes (0x08) are supported.");
        int dimensions = header[3];
        if (dimensions < 1) throw new InvalidDataException($"'{name}' declares {dimensions} dimensions.");
        var shape = new int[dimensions];
        for (int i = 0; i < dimensions; i++)
        {
            ReadExactly(stream, header, name, $"the size of dimension {i}");
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(header);
            if (shape[i] < 0) throw new InvalidDataException($"'{name}' declares a negative size for dimension {i}.");
        }
        if (maxItems is { } max && max < shape[0]) shape[0] = Math.Max(0, max);
        long length = shape.Aggregate(1L, (a, b) => a * b);
        var data = new byte[length];
        ReadExactly(stream, data, name, $"{length} data bytes (shape {string.Join(" x ", shape)})");
        return new IdxArray(shape, data);
    }

    static bool IsGzip(FileStream file)
    {
        int a = file.ReadByte(), b = file.ReadByte();
        file.Position = 0;
        return a == 0x1f && b == 0x8b;
    }

    static void ReadExactly(Stream stream, Span<byte> buffer, string name, string what)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = stream.Read(buffer[read..]);
            if (n == 0) throw new InvalidDataException($"'{name}' ends early: it is truncated while reading {what}.");
            read += n;
        }
    }
}
