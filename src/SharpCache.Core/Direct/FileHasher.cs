using System.Buffers;

namespace SharpCache.Core.Direct;

/// <summary>
/// Reads a file once: BLAKE3 of its content and, optionally, whether it mentions
/// <c>__DATE__</c>, <c>__TIME__</c> or <c>__TIMESTAMP__</c> (whose expansion a direct-mode hit
/// would freeze).
/// </summary>
internal static class FileHasher
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Bytes kept from the previous read so a macro name split across reads is still seen: "__TIMESTAMP__".Length - 1.</summary>
    private const int Overlap = 12;

    /// <summary>Hashes <paramref name="path"/>; false when it cannot be read.</summary>
    public static bool TryHash(string path, bool scanTimeMacros, out FileDigest digest, out bool hasTimeMacro)
    {
        digest = default;
        hasTimeMacro = false;
        var buffer = ArrayPool<byte>.Shared.Rent(Overlap + BufferSize);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            using var hasher = Blake3.Hasher.New();
            var carried = 0;
            int n;
            while ((n = stream.Read(buffer, Overlap, BufferSize)) > 0)
            {
                hasher.Update(buffer.AsSpan(Overlap, n));
                if (scanTimeMacros && !hasTimeMacro)
                {
                    var window = buffer.AsSpan(Overlap - carried, carried + n);
                    hasTimeMacro = ContainsTimeMacro(window);
                    carried = Math.Min(Overlap, window.Length);
                    window[^carried..].CopyTo(buffer.AsSpan(Overlap - carried));
                }
            }

            digest = FileDigest.Read(hasher.Finalize().AsSpan());
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// True if the text names a time macro. Identifier boundaries are not checked: a false
    /// positive only costs a direct-mode entry, never correctness.
    /// </summary>
    public static bool ContainsTimeMacro(ReadOnlySpan<byte> text)
    {
        if (text.IndexOf("__DATE__"u8) >= 0)
        {
            return true;
        }

        var rest = text;
        int at;
        while ((at = rest.IndexOf("__TIME"u8)) >= 0)
        {
            rest = rest[(at + 6)..];
            if (rest.StartsWith("__"u8) || rest.StartsWith("STAMP__"u8))
            {
                return true;
            }
        }

        return false;
    }
}
