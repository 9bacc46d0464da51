using SharpCache.Core.Direct;

namespace SharpCache.Client;

/// <summary>
/// Finds the real compiler on PATH, skipping anything that is this executable (a masquerade
/// symlink named gcc must never find itself) so that the wrapper never recurses. One statx per
/// candidate (it follows symlinks): "is it me" is a device and inode comparison.
/// </summary>
internal static class CompilerLocator
{
    private const int StatxTypeModeIno = 0x1 | 0x2 | 0x100;
    private const ushort TypeMask = 0xF000;
    private const ushort TypeRegular = 0x8000;
    private const ushort AnyExecute = 0x49;

    public static string? Find(string nameOrPath, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        var self = Identify(Environment.ProcessPath);
        if (nameOrPath.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(nameOrPath, workingDirectory);
            return IsOtherExecutable(full, self) ? full : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(Path.GetFullPath(dir, workingDirectory), nameOrPath);
            if (IsOtherExecutable(candidate, self))
            {
                return candidate;
            }
        }

        return null;
    }

    private static (ulong Device, ulong Inode) Identify(string? path)
    {
        if (path is null || DirectNativeMethods.Statx(DirectNativeMethods.AtFdCwd, path, 0, StatxTypeModeIno, out var buffer) != 0)
        {
            return default;
        }

        return (((ulong)buffer.DeviceMajor << 32) | buffer.DeviceMinor, buffer.Inode);
    }

    private static bool IsOtherExecutable(string path, (ulong Device, ulong Inode) self)
    {
        if (DirectNativeMethods.Statx(DirectNativeMethods.AtFdCwd, path, 0, StatxTypeModeIno, out var buffer) != 0)
        {
            return false;
        }

        if ((buffer.Mode & TypeMask) != TypeRegular || (buffer.Mode & AnyExecute) == 0)
        {
            return false;
        }

        var id = (((ulong)buffer.DeviceMajor << 32) | buffer.DeviceMinor, buffer.Inode);
        return id != self || self == default;
    }
}
