using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SharpCache.Toolchains;

/// <summary>
/// What identifies a compiler binary without reading it: canonical path, size, mtime (ns), inode and
/// device, from <c>statx(2)</c> (its struct has one layout on every architecture). A reinstall or
/// upgrade changes at least one of them.
/// </summary>
internal static partial class FileIdentity
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int FileTypeMask = 0xF000; // S_IFMT
    private const int RegularFileType = 0x8000; // S_IFREG

    public static string Of(string path)
    {
        var canonical = new ToolchainFileSet().Resolve(path);
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(canonical, buffer) != 0)
        {
            throw new ToolchainPackagingException($"cannot stat '{path}': errno {Marshal.GetLastPInvokeError()}");
        }

        var inode = BinaryPrimitives.ReadUInt64LittleEndian(buffer[32..]);
        var size = BinaryPrimitives.ReadUInt64LittleEndian(buffer[40..]);
        var mtimeSeconds = BinaryPrimitives.ReadInt64LittleEndian(buffer[112..]);
        var mtimeNanos = BinaryPrimitives.ReadUInt32LittleEndian(buffer[120..]);
        var deviceMajor = BinaryPrimitives.ReadUInt32LittleEndian(buffer[136..]);
        var deviceMinor = BinaryPrimitives.ReadUInt32LittleEndian(buffer[140..]);
        return $"{canonical}\n{size}\n{mtimeSeconds}.{mtimeNanos:D9}\n{deviceMajor}:{deviceMinor}:{inode}";
    }

    /// <summary>True for a regular file (after following symlinks): never a device, fifo or socket.</summary>
    public static bool IsRegularFile(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        return Statx(path, buffer) == 0 && (BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]) & FileTypeMask) == RegularFileType;
    }

    private static unsafe int Statx(string path, Span<byte> buffer)
    {
        fixed (byte* statx = buffer)
        {
            return NativeStatx(AtFdCwd, path, 0, StatxBasicStats, statx);
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int NativeStatx(int dirfd, string path, int flags, uint mask, byte* statx);
}
