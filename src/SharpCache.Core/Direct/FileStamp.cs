using System.Runtime.InteropServices;

namespace SharpCache.Core.Direct;

/// <summary>
/// What one stat says about a file: if all five fields are unchanged, the file's content is
/// trusted to be unchanged (ctime moves on any write, even one that restores mtime).
/// </summary>
internal readonly record struct FileStamp(long Size, long MtimeNs, long CtimeNs, ulong Inode, ulong Device)
{
    private const long NanosPerSecond = 1_000_000_000;

    private static bool _statxUnavailable;

    /// <summary>
    /// False where the platform gave no inode/ctime (the managed fallback): such a stamp never
    /// vouches for content, so the file is always re-hashed.
    /// </summary>
    public bool IsTrustworthy => Inode != 0;

    /// <summary>One stat of <paramref name="path"/> (following symlinks, like the compiler's open).</summary>
    public static FileStampStatus Read(string path, out FileStamp stamp)
    {
        if (OperatingSystem.IsLinux() && !_statxUnavailable)
        {
            try
            {
                return ReadStatx(path, out stamp);
            }
            catch (EntryPointNotFoundException)
            {
                // libc without statx (glibc < 2.28, old musl): fall back for the rest of the process.
                _statxUnavailable = true;
            }
        }

        return ReadManaged(path, out stamp);
    }

    private static FileStampStatus ReadStatx(string path, out FileStamp stamp)
    {
        if (DirectNativeMethods.Statx(DirectNativeMethods.AtFdCwd, path, 0, DirectNativeMethods.StatxMask, out var buffer) != 0)
        {
            stamp = default;
            var errno = Marshal.GetLastPInvokeError();
            return errno is DirectNativeMethods.ENoEnt or DirectNativeMethods.ENotDir ? FileStampStatus.Missing : FileStampStatus.Error;
        }

        // Device numbers packed like glibc's makedev, so they compare like st_dev.
        var device = ((ulong)buffer.DeviceMajor << 32) | buffer.DeviceMinor;
        stamp = new FileStamp(
            (long)buffer.Size,
            (buffer.MtimeSeconds * NanosPerSecond) + buffer.MtimeNanoseconds,
            (buffer.CtimeSeconds * NanosPerSecond) + buffer.CtimeNanoseconds,
            buffer.Inode,
            device);
        const int typeMask = 0xF000;
        const int directory = 0x4000;
        return (buffer.Mode & typeMask) == directory ? FileStampStatus.Directory : FileStampStatus.File;
    }

    private static FileStampStatus ReadManaged(string path, out FileStamp stamp)
    {
        stamp = default;
        try
        {
            if (Directory.Exists(path))
            {
                return FileStampStatus.Directory;
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return FileStampStatus.Missing;
            }

            var mtime = (info.LastWriteTimeUtc.Ticks - DateTime.UnixEpoch.Ticks) * 100;
            stamp = new FileStamp(info.Length, mtime, mtime, 0, 0);
            return FileStampStatus.File;
        }
        catch (IOException)
        {
            return FileStampStatus.Error;
        }
        catch (UnauthorizedAccessException)
        {
            return FileStampStatus.Error;
        }
    }
}
