#nullable enable
// Makes TorchSharp's native glue loadable on Linux distributions whose libstdc++ predates GCC 13 (Debian 12).
//
// libLibTorchSharp.so (TorchSharp 0.107.0) lists GLIBCXX_3.4.32 in its version needs for one symbol,
// std::ios_base_library_init(), which GCC 13 headers reference without a relocation. glibc refuses to load a
// library that needs a version the system libstdc++ does not define, unless that need is marked weak
// (VER_FLG_WEAK in vna_flags of the Vernaux entry). Setting that one bit is the whole fix.
//
// This file is compiled twice: into Pipelines.Torch (a runtime fallback for apps that reference the project) and
// by MSBuild's RoslynCodeTaskFactory as the PatchLibStdCxxNeeds task (the build-time fix for package consumers).
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Pipelines.Torch.Native
{
    /// <summary>Reads and edits the version-needs table (.gnu.version_r) of a 64-bit little-endian ELF file.</summary>
    public static class LibStdCxxCompat
    {
        /// <summary>The version TorchSharp 0.107.0 needs and Debian 12's libstdc++ (GCC 12) lacks.</summary>
        public const string RequiredVersion = "GLIBCXX_3.4.32";

        /// <summary>The native library whose need is relaxed.</summary>
        public const string TorchSharpGlue = "libLibTorchSharp.so";

        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlagWeak = 0x2;

        static readonly string[] SystemLibraryDirectories =
        {
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
        };

        /// <summary>The libstdc++ the dynamic loader would pick: LD_LIBRARY_PATH first, then the usual system folders.</summary>
        public static string? FindSystemLibStdCxx()
        {
            var dirs = new List<string>();
            var ldPath = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            if (!string.IsNullOrEmpty(ldPath)) dirs.AddRange(ldPath.Split(':'));
            dirs.AddRange(SystemLibraryDirectories);
            foreach (var dir in dirs)
            {
                if (dir.Length == 0) continue;
                var candidate = Path.Combine(dir, "libstdc++.so.6");
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }

        /// <summary>True when the given libstdc++ defines <paramref name="version"/> (its name appears in the file).</summary>
        public static bool DefinesVersion(string libStdCxxPath, string version)
        {
            var needle = Encoding.ASCII.GetBytes(version + "\0");
            var bytes = File.ReadAllBytes(libStdCxxPath);
            return IndexOf(bytes, needle) >= 0;
        }

        /// <summary>
        /// True when this machine needs the fix: Linux, a system libstdc++ was found, and it lacks
        /// <see cref="RequiredVersion"/>.
        /// </summary>
        public static bool SystemNeedsFix()
        {
            if (Path.DirectorySeparatorChar != '/' || !Directory.Exists("/proc")) return false;
            var lib = FindSystemLibStdCxx();
            return lib != null && !DefinesVersion(lib, RequiredVersion);
        }

        /// <summary>The state of one version need in an ELF file.</summary>
        public enum NeedState { Absent, Strong, Weak }

        /// <summary>Whether <paramref name="elfPath"/> needs <paramref name="version"/>, and whether that need is weak.</summary>
        public static NeedState GetNeedState(string elfPath, string version)
        {
            var bytes = File.ReadAllBytes(elfPath);
            var offset = FindVernauxFlagsOffset(bytes, version);
            if (offset < 0) return NeedState.Absent;
            return (BitConverter.ToUInt16(bytes, offset) & VerFlagWeak) != 0 ? NeedState.Weak : NeedState.Strong;
        }

        /// <summary>
        /// Marks the need for <paramref name="version"/> weak. Returns true when the file was changed, false when the
        /// need is absent or already weak (idempotent). Writes through a temporary file so a failure never leaves a
        /// half-written library.
        /// </summary>
        public static bool MarkNeedWeak(string elfPath, string version)
        {
            var bytes = File.ReadAllBytes(elfPath);
            var offset = FindVernauxFlagsOffset(bytes, version);
            if (offset < 0) return false;
            var flags = BitConverter.ToUInt16(bytes, offset);
            if ((flags & VerFlagWeak) != 0) return false;
            flags |= VerFlagWeak;
            bytes[offset] = (byte)(flags & 0xff);
            bytes[offset + 1] = (byte)(flags >> 8);
            var temp = elfPath + ".pipelines-tmp";
            File.WriteAllBytes(temp, bytes);
            // rename(2): atomic, and a new inode, so a hard link into the NuGet cache is never written through.
            File.Replace(temp, elfPath, destinationBackupFileName: null);
            return true;
        }

        /// <summary>
        /// Applies the fix to every copy of the TorchSharp glue under <paramref name="directory"/> when the system
        /// needs it. Returns the files changed.
        /// </summary>
        public static IReadOnlyList<string> FixDirectory(string directory)
        {
            var changed = new List<string>();
            if (!Directory.Exists(directory) || !SystemNeedsFix()) return changed;
            foreach (var file in FindGlue(directory))
            {
                if (MarkNeedWeak(file, RequiredVersion)) changed.Add(file);
            }
            return changed;
        }

        // A walk that skips folders it cannot read: an unreadable folder elsewhere in an app must not stop training.
        static IEnumerable<string> FindGlue(string root)
        {
            var pending = new Stack<string>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var dir = pending.Pop();
                string[] files, subdirectories;
                try
                {
                    files = Directory.GetFiles(dir, TorchSharpGlue);
                    subdirectories = Directory.GetDirectories(dir);
                }
                catch (Exception e) when (e is UnauthorizedAccessException or IOException)
                {
                    continue;
                }
                foreach (var file in files) yield return file;
                foreach (var sub in subdirectories) pending.Push(sub);
            }
        }

        // Returns the file offset of vna_flags of the Vernaux entry named `version`, or -1.
        static int FindVernauxFlagsOffset(byte[] elf, string version)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("Not an ELF file.");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("Only 64-bit little-endian ELF files are supported.");

            long shoff = BitConverter.ToInt64(elf, 0x28);
            int shentsize = BitConverter.ToUInt16(elf, 0x3A);
            int shnum = BitConverter.ToUInt16(elf, 0x3C);
            for (int i = 0; i < shnum; i++)
            {
                int sh = checked((int)(shoff + (long)i * shentsize));
                if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
                int sectionOffset = checked((int)BitConverter.ToInt64(elf, sh + 0x18));
                int link = (int)BitConverter.ToUInt32(elf, sh + 0x28);
                int stringsOffset = checked((int)BitConverter.ToInt64(elf, checked((int)(shoff + (long)link * shentsize)) + 0x18));

                int verneed = sectionOffset;
                while (true)
                {
                    int count = BitConverter.ToUInt16(elf, verneed + 2);
                    int aux = verneed + (int)BitConverter.ToUInt32(elf, verneed + 8);
                    for (int j = 0; j < count; j++)
                    {
                        int name = stringsOffset + (int)BitConverter.ToUInt32(elf, aux + 8);
                        if (NameEquals(elf, name, version)) return aux + 4;
                        int nextAux = (int)BitConverter.ToUInt32(elf, aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    int next = (int)BitConverter.ToUInt32(elf, verneed + 12);
                    if (next == 0) break;
                    verneed += next;
                }
            }
            return -1;
        }

        static bool NameEquals(byte[] bytes, int offset, string name)
        {
            if (offset + name.Length >= bytes.Length) return false;
            for (int k = 0; k < name.Length; k++)
                if (bytes[offset + k] != (byte)name[k]) return false;
            return bytes[offset + name.Length] == 0;
        }

        static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int k = 0;
                while (k < needle.Length && haystack[i + k] == needle[k]) k++;
                if (k == needle.Length) return i;
            }
            return -1;
        }
    }

#if !PIPELINES_LIBRARY
    /// <summary>MSBuild task: relaxes the libstdc++ version need of every TorchSharp glue library in a folder.</summary>
    public class PatchLibStdCxxNeeds : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public string Directory { get; set; } = "";

        public override bool Execute()
        {
            foreach (var file in LibStdCxxCompat.FixDirectory(Directory))
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    $"Pipelines.Torch: marked {LibStdCxxCompat.RequiredVersion} weak in {file} (this system's libstdc++ lacks it).");
            return true;
        }
    }
#endif
}
