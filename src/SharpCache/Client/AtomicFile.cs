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
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
            {
                stream.Write(content);
            }

            if (unixMode != 0)
            {
                File.SetUnixFileMode(temp, (UnixFileMode)(unixMode & 0xFFF));
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
