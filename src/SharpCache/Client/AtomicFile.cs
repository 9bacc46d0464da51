namespace SharpCache.Client;

/// <summary>Writes an output file through a temporary file in the same directory and a rename, so no reader ever sees half an object.</summary>
internal static class AtomicFile
{
    public static bool TryWrite(string path, ReadOnlySpan<byte> content, int unixMode)
    {
        var directory = Path.GetDirectoryName(path) ?? ".";
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + ".sharpcache-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp");
        try
        {
            // Created with the stored mode, which open(2) masks with the umask exactly as the
            // compiler's own open did: no chmod, no FileStream buffering.
            var mode = unixMode != 0 ? (UnixFileMode)(unixMode & 0x1FF) : (UnixFileMode)0x1B6;
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.ReadWrite, BufferSize = 0, UnixCreateMode = mode };
            using (var stream = new FileStream(temp, options))
            {
                RandomAccess.Write(stream.SafeFileHandle, content, 0);
            }

            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (IOException)
        {
            TryDelete(temp);
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            TryDelete(temp);
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
