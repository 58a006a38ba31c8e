using System.Buffers.Binary;

namespace Pipelines.Reports.Tests;

/// <summary>Reads what the tests check of a PNG: the signature and the IHDR size.</summary>
static class Png
{
    static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    public static bool HasSignature(byte[] bytes) => bytes.Length > 8 && bytes.AsSpan(0, 8).SequenceEqual(Signature);

    /// <summary>Width and height from the IHDR chunk, which a valid PNG has right after the signature.</summary>
    public static (int Width, int Height) Size(byte[] bytes)
    {
        Assert.True(HasSignature(bytes), "not a PNG");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }
}
