using System.IO.Compression;
using SharpCompress.Compressors.Xz;

namespace SharpCache.Dist.Archives;

/// <summary>
/// Opens a tar, tar.gz or tar.xz by its magic bytes (toolchains from mach bootstrap are xz,
/// auto-packaged ones gzip). The stream must be seekable: archives are spooled to a local file first.
/// </summary>
public static class ArchiveStreams
{
    public static Stream OpenTar(Stream raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (!raw.CanSeek)
        {
            throw new ArgumentException("archive streams must be seekable", nameof(raw));
        }

        Span<byte> magic = stackalloc byte[6];
        var position = raw.Position;
        var read = raw.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        raw.Position = position;
        if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            return new GZipStream(raw, CompressionMode.Decompress);
        }

        if (read >= 6 && magic.SequenceEqual((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]))
        {
            return new XZStream(raw);
        }

        return raw;
    }
}
