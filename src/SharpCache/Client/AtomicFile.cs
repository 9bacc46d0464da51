using System.Runtime.InteropServices;

namespace SharpCache.Client;

/// <summary>
/// Writes an output file through a temporary file in the same directory and a rename, so no reader ever sees half an
/// object. Plain open/write/close/rename: a FileStream adds fstatfs, flock, ftruncate and seeks around the one write
/// (a cache hit and a distributed compile write every object through here).
/// </summary>
internal static class AtomicFile
{
    private const int EIntr = 4;

    public static bool TryWrite(string path, ReadOnlySpan<byte> content, int unixMode)
    {
        var directory = Path.GetDirectoryName(path);
        var temp = Path.Combine(string.IsNullOrEmpty(directory) ? "." : directory, "." + Path.GetFileName(path) + ".sharpcache-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp");

        // Created with the stored mode, which open(2) masks with the umask exactly as the compiler's own open did: no chmod.
        var mode = unixMode != 0 ? unixMode & 0x1FF : 0x1B6;
        var fd = NativeMethods.Open(temp, NativeMethods.OWrOnly | NativeMethods.OCreat | NativeMethods.OTrunc | NativeMethods.OCloExec, mode);
        if (fd < 0)
        {
            return false;
        }

        var written = WriteAll(fd, content);
        if (NativeMethods.Close(fd) != 0 || !written)
        {
            _ = NativeMethods.Unlink(temp);
            return false;
        }

        // The previous file is removed first: a rename that replaces a file makes ext4 (auto_da_alloc) start writing the new
        // one's data at once, 0.2-0.6 ms here; into a free name the rename is a directory update. For the instant between the
        // two, the path names nothing rather than the old object (nothing reads an output while its compile runs).
        _ = NativeMethods.Unlink(path);
        if (NativeMethods.Rename(temp, path) != 0)
        {
            _ = NativeMethods.Unlink(temp);
            return false;
        }

        return true;
    }

    private static unsafe bool WriteAll(int fd, ReadOnlySpan<byte> content)
    {
        fixed (byte* data = content)
        {
            var done = 0;
            while (done < content.Length)
            {
                var n = NativeMethods.Write(fd, data + done, content.Length - done);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == EIntr)
                    {
                        continue;
                    }

                    return false;
                }

                done += (int)n;
            }
        }

        return true;
    }
}
