using System.Text;
using Pipelines.Torch.Native;
using static Pipelines.Torch.Native.LibStdCxxCompat;

namespace Pipelines.Torch.Tests;

/// <summary>
/// The ELF edit behind the libstdc++ fix, on a small hand-built ELF file (exact offsets known) and on TorchSharp's
/// real glue library as its package ships it.
/// </summary>
public sealed class LibStdCxxCompatTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pipelines-libstdcxx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // ---- the real library ----

    string CopyOfPristineGlue()
    {
        var pristine = NuGetPackageFolders.PristineTorchSharpGlue();
        Assert.True(pristine != null,
            $"TorchSharp {NuGetPackageFolders.TorchSharpVersion}'s {TorchSharpGlue} was not found in the package folders " +
            $"({string.Join(", ", NuGetPackageFolders.From(NuGetPackageFolders.TestProjectAssetsFile))}).");
        var copy = Path.Combine(_dir, TorchSharpGlue);
        File.Copy(pristine!, copy);
        return copy;
    }

    [Fact]
    public void RealGlueAsShippedNeedsTheVersionStrongly()
    {
        var glue = CopyOfPristineGlue();
        Assert.True(GetNeedState(glue, RequiredVersion) == NeedState.Strong,
            $"TorchSharp's {TorchSharpGlue} in the package folder should need {RequiredVersion} strongly; if it is Weak, " +
            "something patched the package folder's copy instead of the build output's (a hard-linked copy?).");
    }

    [Fact]
    public void RealGlueIsMarkedWeakOnceChangingOnlyTheFlagBytes()
    {
        var glue = CopyOfPristineGlue();
        var before = File.ReadAllBytes(glue);
        var otherBefore = GetNeedState(glue, "GLIBCXX_3.4.18");

        Assert.True(MarkNeedWeak(glue, RequiredVersion));
        Assert.Equal(NeedState.Weak, GetNeedState(glue, RequiredVersion));
        var after = File.ReadAllBytes(glue);

        Assert.False(MarkNeedWeak(glue, RequiredVersion)); // idempotent
        Assert.Equal(after, File.ReadAllBytes(glue));

        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        Assert.NotEmpty(changed);
        Assert.True(changed[^1] - changed[0] <= 1, $"bytes changed at offsets {string.Join(", ", changed)}: only the 2 bytes of vna_flags may change");
        // The change is exactly the VER_FLG_WEAK bit (0x2) added to a 16-bit little-endian field.
        var diff = Enumerable.Range(0, before.Length).Select(i => before[i] ^ after[i]).Where(x => x != 0).ToList();
        Assert.Equal(new[] { 0x2 }, diff);

        Assert.Equal(otherBefore, GetNeedState(glue, "GLIBCXX_3.4.18"));
        Assert.Empty(Directory.GetFiles(_dir, "*.pipelines-tmp"));
    }

    // ---- a hand-built ELF file ----

    [Fact]
    public void ReadsEveryNeedOfEveryLibrary()
    {
        var elf = Write("lib.so", SyntheticElf.Build().Bytes);
        Assert.Equal(NeedState.Strong, GetNeedState(elf, "GLIBC_2.2.5"));
        Assert.Equal(NeedState.Strong, GetNeedState(elf, "GLIBCXX_3.4.18"));
        Assert.Equal(NeedState.Strong, GetNeedState(elf, RequiredVersion));
        Assert.Equal(NeedState.Absent, GetNeedState(elf, "GLIBCXX_3.4.33"));
        Assert.Equal(NeedState.Absent, GetNeedState(elf, "GLIBCXX_3.4.3")); // a prefix of a needed name is not a match
        Assert.Equal(NeedState.Absent, GetNeedState(elf, "libstdc++.so.6")); // a file name, not a version
    }

    [Fact]
    public void MarksExactlyTheFlagsOfThatNeed()
    {
        var (bytes, flagsOffset) = SyntheticElf.Build();
        var elf = Write("lib.so", bytes);

        Assert.True(MarkNeedWeak(elf, RequiredVersion));

        var after = File.ReadAllBytes(elf);
        var expected = (byte[])bytes.Clone();
        expected[flagsOffset] = 0x02;
        Assert.Equal(expected, after);
        Assert.Equal(NeedState.Weak, GetNeedState(elf, RequiredVersion));
        Assert.Equal(NeedState.Strong, GetNeedState(elf, "GLIBCXX_3.4.18"));
        Assert.Equal(NeedState.Strong, GetNeedState(elf, "GLIBC_2.2.5"));

        Assert.False(MarkNeedWeak(elf, RequiredVersion));
        Assert.Equal(expected, File.ReadAllBytes(elf));
        Assert.Empty(Directory.GetFiles(_dir, "*.pipelines-tmp"));
    }

    [Fact]
    public void NeverWritesThroughAHardLink()
    {
        // A build with CreateHardLinksForCopyLocalIfPossible links the output copy to the NuGet cache's file.
        var (bytes, _) = SyntheticElf.Build();
        var cacheCopy = Write("cache/lib.so", bytes);
        var outputCopy = Path.Combine(_dir, "output", "lib.so");
        Directory.CreateDirectory(Path.GetDirectoryName(outputCopy)!);
        var ln = System.Diagnostics.Process.Start("ln", new[] { cacheCopy, outputCopy })!;
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);

        Assert.True(MarkNeedWeak(outputCopy, RequiredVersion));
        Assert.Equal(NeedState.Weak, GetNeedState(outputCopy, RequiredVersion));
        Assert.Equal(bytes, File.ReadAllBytes(cacheCopy));
    }

    [Fact]
    public void KeepsTheOtherFlagBits()
    {
        var (bytes, flagsOffset) = SyntheticElf.Build(targetFlags: 0x0001);
        var elf = Write("lib.so", bytes);
        Assert.Equal(NeedState.Strong, GetNeedState(elf, RequiredVersion));
        Assert.True(MarkNeedWeak(elf, RequiredVersion));
        Assert.Equal(0x0003, BitConverter.ToUInt16(File.ReadAllBytes(elf), flagsOffset));
    }

    [Fact]
    public void AbsentNeedLeavesTheFileAlone()
    {
        var (bytes, _) = SyntheticElf.Build(includeTarget: false);
        var elf = Write("lib.so", bytes);
        Assert.Equal(NeedState.Absent, GetNeedState(elf, RequiredVersion));
        Assert.False(MarkNeedWeak(elf, RequiredVersion));
        Assert.Equal(bytes, File.ReadAllBytes(elf));
    }

    [Fact]
    public void AlreadyWeakNeedIsLeftAlone()
    {
        var (bytes, _) = SyntheticElf.Build(targetFlags: 0x0002);
        var elf = Write("lib.so", bytes);
        Assert.Equal(NeedState.Weak, GetNeedState(elf, RequiredVersion));
        Assert.False(MarkNeedWeak(elf, RequiredVersion));
        Assert.Equal(bytes, File.ReadAllBytes(elf));
    }

    [Fact]
    public void ElfWithoutVersionNeedsHasNoNeed()
    {
        var (bytes, _) = SyntheticElf.Build(includeVersionNeeds: false);
        var elf = Write("lib.so", bytes);
        Assert.Equal(NeedState.Absent, GetNeedState(elf, RequiredVersion));
        Assert.False(MarkNeedWeak(elf, RequiredVersion));
        Assert.Equal(bytes, File.ReadAllBytes(elf));
    }

    public static TheoryData<string, byte[]> NotSupported()
    {
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("this is not an ELF file at all. ", 8)));
        var elf32 = SyntheticElf.Build().Bytes; elf32[4] = 1;     // ELFCLASS32
        var bigEndian = SyntheticElf.Build().Bytes; bigEndian[5] = 2; // ELFDATA2MSB
        var truncated = SyntheticElf.Build().Bytes[..40];
        return new TheoryData<string, byte[]>
        {
            { "text", text }, { "empty", Array.Empty<byte>() }, { "32-bit", elf32 }, { "big-endian", bigEndian }, { "truncated header", truncated },
        };
    }

    [Theory]
    [MemberData(nameof(NotSupported))]
    public void NonElfOrUnsupportedFileIsRejected(string kind, byte[] bytes)
    {
        var path = Write(kind + ".bin", bytes);
        Assert.Throws<InvalidDataException>(() => GetNeedState(path, RequiredVersion));
        Assert.Throws<InvalidDataException>(() => MarkNeedWeak(path, RequiredVersion));
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void FixDirectoryPatchesEveryGlueCopyOnlyWhenTheSystemNeedsIt()
    {
        var bytes = SyntheticElf.Build().Bytes;
        var nested = Write(Path.Combine("out", "runtimes", "linux-x64", "native", TorchSharpGlue), bytes);
        var top = Write(Path.Combine("out", TorchSharpGlue), bytes);
        var other = Write(Path.Combine("out", "runtimes", "linux-x64", "native", "libother.so"), bytes);
        var outDir = Path.Combine(_dir, "out");

        var changed = FixDirectory(outDir);

        if (SystemNeedsFix())
        {
            Assert.Equal(new[] { nested, top }.Order(), changed.Order());
            Assert.Equal(NeedState.Weak, GetNeedState(nested, RequiredVersion));
            Assert.Equal(NeedState.Weak, GetNeedState(top, RequiredVersion));
            Assert.Empty(FixDirectory(outDir)); // idempotent
        }
        else
        {
            Assert.Empty(changed);
            Assert.Equal(bytes, File.ReadAllBytes(nested));
            Assert.Equal(bytes, File.ReadAllBytes(top));
        }
        Assert.Equal(bytes, File.ReadAllBytes(other)); // only the TorchSharp glue is touched
    }

    [Fact]
    public void FixDirectoryOfAMissingFolderDoesNothing() =>
        Assert.Empty(FixDirectory(Path.Combine(_dir, "does-not-exist")));

    [Fact]
    public void DefinesVersionNeedsTheWholeName()
    {
        var lib = Write("libstdc++.so.6", Encoding.ASCII.GetBytes("\0junk\0GLIBCXX_3.4.29\0GLIBCXX_3.4.30\0CXXABI_1.3.13\0"));
        Assert.True(DefinesVersion(lib, "GLIBCXX_3.4.30"));
        Assert.True(DefinesVersion(lib, "GLIBCXX_3.4.29"));
        Assert.False(DefinesVersion(lib, "GLIBCXX_3.4.3"));
        Assert.False(DefinesVersion(lib, RequiredVersion));
    }

    [Fact]
    public void SystemDetectionAgreesWithTheSystemLibStdCxx()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(SystemNeedsFix());
            return;
        }
        var lib = FindSystemLibStdCxx();
        Assert.True(lib != null, "no libstdc++.so.6 found, yet the .NET runtime running this test loads one");
        Assert.True(DefinesVersion(lib!, "GLIBCXX_3.4"), $"{lib} does not look like libstdc++");
        Assert.Equal(!DefinesVersion(lib!, RequiredVersion), SystemNeedsFix());
    }
}

/// <summary>
/// A minimal 64-bit little-endian ELF shared object with section headers for .dynstr, .gnu.version_r and .shstrtab.
/// Its version needs: libc.so.6 (GLIBC_2.2.5), then libstdc++.so.6 (GLIBCXX_3.4.18, GLIBCXX_3.4.32), so finding the
/// target walks both the Verneed and the Vernaux chains. `readelf -V` reads it like a real library.
/// </summary>
static class SyntheticElf
{
    const int HeaderSize = 64, SectionHeaderSize = 64, VerneedSize = 16, VernauxSize = 16;

    public static (byte[] Bytes, int FlagsOffset) Build(ushort targetFlags = 0, bool includeTarget = true, bool includeVersionNeeds = true)
    {
        // .dynstr
        var dynstr = new List<byte> { 0 };
        int Str(List<byte> table, string s) { int at = table.Count; table.AddRange(Encoding.ASCII.GetBytes(s)); table.Add(0); return at; }
        int libc = Str(dynstr, "libc.so.6"), glibc = Str(dynstr, "GLIBC_2.2.5");
        int libstdcxx = Str(dynstr, "libstdc++.so.6"), cxx18 = Str(dynstr, "GLIBCXX_3.4.18"), cxx32 = Str(dynstr, LibStdCxxCompat.RequiredVersion);

        // .gnu.version_r
        var verneed = new List<byte>();
        void U16(List<byte> to, int v) => to.AddRange(BitConverter.GetBytes((ushort)v));
        void U32(List<byte> to, long v) => to.AddRange(BitConverter.GetBytes((uint)v));
        void U64(List<byte> to, long v) => to.AddRange(BitConverter.GetBytes((ulong)v));
        void Need(int file, int count, bool last) { U16(verneed, 1); U16(verneed, count); U32(verneed, file); U32(verneed, VerneedSize); U32(verneed, last ? 0 : VerneedSize + count * VernauxSize); }
        void Aux(string name, int nameAt, int flags, int other, bool last) { U32(verneed, ElfHash(name)); U16(verneed, flags); U16(verneed, other); U32(verneed, nameAt); U32(verneed, last ? 0 : VernauxSize); }
        Need(libc, 1, last: false);
        Aux("GLIBC_2.2.5", glibc, 0, 2, last: true);
        Need(libstdcxx, includeTarget ? 2 : 1, last: true);
        Aux("GLIBCXX_3.4.18", cxx18, 0, 3, last: !includeTarget);
        int targetAux = verneed.Count;
        if (includeTarget) Aux(LibStdCxxCompat.RequiredVersion, cxx32, targetFlags, 4, last: true);

        var shstrtab = new List<byte> { 0 };
        int nDynstr = Str(shstrtab, ".dynstr"), nVerneed = Str(shstrtab, ".gnu.version_r"), nShstrtab = Str(shstrtab, ".shstrtab");

        var file = new List<byte>(new byte[HeaderSize]);
        void Align() { while (file.Count % 8 != 0) file.Add(0); }
        int dynstrAt = file.Count; file.AddRange(dynstr); Align();
        int verneedAt = file.Count; if (includeVersionNeeds) file.AddRange(verneed); Align();
        int shstrtabAt = file.Count; file.AddRange(shstrtab); Align();
        int shoff = file.Count;

        var sections = new List<byte>(new byte[SectionHeaderSize]); // [0] SHT_NULL
        void Section(int name, uint type, long offset, long size, int link, int info, long align)
        {
            U32(sections, name); U32(sections, type); U64(sections, type == 3 ? 0 : 2 /* SHF_ALLOC */); U64(sections, 0);
            U64(sections, offset); U64(sections, size); U32(sections, link); U32(sections, info); U64(sections, align); U64(sections, 0);
        }
        Section(nDynstr, 3 /* SHT_STRTAB */, dynstrAt, dynstr.Count, 0, 0, 1);                           // [1]
        if (includeVersionNeeds) Section(nVerneed, 0x6ffffffe /* SHT_GNU_verneed */, verneedAt, verneed.Count, 1, 2, 8); // [2]
        Section(nShstrtab, 3, shstrtabAt, shstrtab.Count, 0, 0, 1);                                       // last
        file.AddRange(sections);
        int sectionCount = sections.Count / SectionHeaderSize;

        var header = new List<byte> { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2 /* 64-bit */, 1 /* LE */, 1 /* EV_CURRENT */ };
        header.AddRange(new byte[9]);
        U16(header, 3 /* ET_DYN */); U16(header, 0x3e /* x86-64 */); U32(header, 1);
        U64(header, 0); U64(header, 0); U64(header, shoff); U32(header, 0);
        U16(header, HeaderSize); U16(header, 56); U16(header, 0); U16(header, SectionHeaderSize); U16(header, sectionCount); U16(header, sectionCount - 1);
        var bytes = file.ToArray();
        header.CopyTo(bytes, 0);
        return (bytes, verneedAt + targetAux + 4);
    }

    static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (var c in Encoding.ASCII.GetBytes(name))
        {
            h = (h << 4) + c;
            uint g = h & 0xf0000000;
            if (g != 0) h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }
}
