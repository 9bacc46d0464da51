using System.Formats.Tar;
using System.IO.Compression;

namespace SharpCache.Toolchains;

/// <summary>
/// Writes a <see cref="ToolchainFileSet"/> as a tar.gz whose bytes depend only on the files'
/// paths, contents and executable bits: entries in ordinal path order, each directory before its
/// children, GNU format (long names), a fixed mtime, uid/gid 0 with no owner names, modes 0755 or
/// 0644, no device or fifo entries.
/// </summary>
internal static class DeterministicTarWriter
{
    private static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const UnixFileMode Executable = (UnixFileMode)0x1ED; // 0755
    private const UnixFileMode Regular = (UnixFileMode)0x1A4; // 0644
    private const UnixFileMode SymlinkMode = (UnixFileMode)0x1FF; // 0777

    /// <summary>Writes the archive to <paramref name="output"/> (left open); returns the number of regular files.</summary>
    public static int Write(ToolchainFileSet files, Stream output)
    {
        var count = 0;
        using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
        using var tar = new TarWriter(gzip, TarEntryFormat.Gnu, leaveOpen: true);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, entry) in files.Entries)
        {
            WriteParents(tar, path, directories);
            if (entry.LinkTarget is { } target)
            {
                tar.WriteEntry(Stamp(new GnuTarEntry(TarEntryType.SymbolicLink, path) { LinkName = target }, SymlinkMode));
                continue;
            }

            var mode = (File.GetUnixFileMode(entry.HostPath!) & UnixFileMode.UserExecute) != 0 ? Executable : Regular;
            using var data = new FileStream(entry.HostPath!, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            tar.WriteEntry(Stamp(new GnuTarEntry(TarEntryType.RegularFile, path) { DataStream = data }, mode));
            count++;
        }

        return count;
    }

    private static void WriteParents(TarWriter tar, string path, HashSet<string> written)
    {
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            var directory = path[..(slash + 1)];
            if (written.Add(directory))
            {
                tar.WriteEntry(Stamp(new GnuTarEntry(TarEntryType.Directory, directory), Executable));
            }
        }
    }

    private static GnuTarEntry Stamp(GnuTarEntry entry, UnixFileMode mode)
    {
        entry.ModificationTime = FixedTime;
        entry.AccessTime = FixedTime;
        entry.ChangeTime = FixedTime;
        entry.Mode = mode;
        entry.Uid = 0;
        entry.Gid = 0;
        entry.UserName = "";
        entry.GroupName = "";
        return entry;
    }
}
