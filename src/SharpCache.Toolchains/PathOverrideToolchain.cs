using System.Formats.Tar;
using System.IO.Compression;

namespace SharpCache.Toolchains;

/// <summary>
/// <c>[[dist.toolchains]] type = "path_override"</c>: a ready-made archive (tar, tar.gz or tar.xz, for
/// example from Firefox's <c>mach bootstrap</c>) used for <c>compiler_executable</c> instead of
/// packaging it. The content id is computed as for a packaged archive (BLAKE3 of the file). For tar
/// and tar.gz the entries are counted and <c>archive_compiler_executable</c> must be in the archive;
/// an xz archive is hashed only (<see cref="ToolchainArchive.FileCount"/> null).
/// </summary>
public static class PathOverrideToolchain
{
    /// <summary>Throws <see cref="ToolchainPackagingException"/> with a message for the user when a path is not absolute, the archive is unreadable or lacks the compiler.</summary>
    public static ToolchainArchive Load(string compilerExecutable, string archive, string archiveCompilerExecutable)
    {
        ArgumentNullException.ThrowIfNull(compilerExecutable);
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(archiveCompilerExecutable);
        if (!Path.IsPathRooted(compilerExecutable) || !Path.IsPathRooted(archiveCompilerExecutable))
        {
            throw new ToolchainPackagingException("path_override: compiler_executable and archive_compiler_executable must be absolute paths");
        }

        if (!File.Exists(archive))
        {
            throw new ToolchainPackagingException($"path_override: toolchain archive '{archive}' does not exist");
        }

        try
        {
            using var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var (contentId, size) = Hash(file);
            file.Position = 0;
            var count = CountAndFind(file, archiveCompilerExecutable.TrimStart('/'), out var found);
            if (count is not null && !found)
            {
                throw new ToolchainPackagingException($"path_override: '{archiveCompilerExecutable}' is not in '{archive}'");
            }

            return new ToolchainArchive(contentId, archiveCompilerExecutable, count, size);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
        {
            throw new ToolchainPackagingException($"path_override: cannot read toolchain archive '{archive}': {e.Message}", e);
        }
    }

    private static (string Hex, long Size) Hash(Stream file)
    {
        using var hasher = Blake3.Hasher.New();
        var buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            hasher.Update(buffer.AsSpan(0, read));
            size += read;
        }

        return (hasher.Finalize().ToString(), size);
    }

    /// <summary>Regular files in a tar or tar.gz, or null for another format (xz); whether <paramref name="member"/> is there.</summary>
    private static int? CountAndFind(Stream file, string member, out bool found)
    {
        found = false;
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        var gzip = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        if (!gzip && !LooksLikeTar(file))
        {
            return null;
        }

        using var tarStream = gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : null;
        using var reader = new TarReader(tarStream ?? file, leaveOpen: true);
        var count = 0;
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            found |= string.Equals(name.TrimStart('/'), member, StringComparison.Ordinal);
            count += entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile ? 1 : 0;
        }

        return count;
    }

    private static bool LooksLikeTar(Stream file)
    {
        Span<byte> header = stackalloc byte[512];
        var read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 512 && header[257..262].SequenceEqual("ustar"u8);
    }
}
