using System.Runtime.InteropServices;

namespace SharpCache.Core.Direct;

/// <summary>libc calls for direct mode. Source-generated marshalling only (AOT).</summary>
internal static partial class DirectNativeMethods
{
    /// <summary>Relative paths resolve against the process's working directory.</summary>
    public const int AtFdCwd = -100;

    /// <summary>STATX_TYPE | STATX_MODE | STATX_INO | STATX_SIZE | STATX_MTIME | STATX_CTIME.</summary>
    public const uint StatxMask = 0x1 | 0x2 | 0x100 | 0x200 | 0x40 | 0x80;

    public const int ENoEnt = 2;
    public const int ENotDir = 20;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Statx(int dirFd, string path, int flags, uint mask, out StatxBuffer buffer);
}
