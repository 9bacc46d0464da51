using System.Runtime.InteropServices;

namespace SharpCache.Dist.Sandbox;

/// <summary>
/// libc <c>open(2)</c> with <c>O_NONBLOCK</c>, which .NET's FileStream cannot ask for (a fifo would block a plain open forever),
/// and <c>openat2(2)</c>, which resolves a path under a directory in one call, refusing any symlink on the way.
/// </summary>
internal static unsafe partial class NativeFile
{
    private const int ReadOnly = 0;
    private const int NonBlock = 0x800;
    private const int Directory = 0x10000;
    private const int CloseOnExec = 0x80000;
    private const int PathOnly = 0x200000;
    private const long SysOpenat2 = 437; // the same number on every Linux architecture (the generic table)
    private const ulong ResolveNoMagicLinks = 0x02;
    private const ulong ResolveNoSymlinks = 0x04;
    private const ulong ResolveBeneath = 0x08;
    private const int NoSys = 38;

    public static int OpenReadNonBlocking(string path) => Open(path, ReadOnly | NonBlock | CloseOnExec);

    /// <summary>
    /// Opens <paramref name="relative"/> under <paramref name="root"/> read-only and non-blocking, with no symlink in any of its
    /// components and nothing outside <paramref name="root"/> (<c>RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS</c>): the fd, -1 when
    /// refused or absent, or null when this kernel has no <c>openat2</c> (before Linux 5.6: the caller checks each component).
    /// </summary>
    public static int? OpenBeneathNoLinks(string root, string relative)
    {
        var dir = Open(root, PathOnly | Directory | CloseOnExec);
        if (dir < 0)
        {
            return -1;
        }

        try
        {
            var how = new OpenHow { Flags = ReadOnly | NonBlock | CloseOnExec, Resolve = ResolveBeneath | ResolveNoSymlinks | ResolveNoMagicLinks };
            var fd = (int)Openat2(SysOpenat2, dir, relative, &how, (nuint)sizeof(OpenHow));
            return fd < 0 && Marshal.GetLastPInvokeError() == NoSys ? null : fd;
        }
        finally
        {
            Close(dir);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long Openat2(long number, int dirfd, string path, OpenHow* how, nuint size);
}
