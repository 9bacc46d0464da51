using System.Globalization;
using System.Text;

namespace SharpCache.Toolchains;

/// <summary>
/// The client's toolchain archives (sccache: <c>&lt;dist cache_dir&gt;/client/tc/</c>), keyed by the
/// compiler binary's identity (canonical path, size, mtime, inode: a reinstalled compiler gets a new
/// archive) and bounded by size, least recently used first. Each entry is <c>&lt;key&gt;.tar.gz</c>
/// plus <c>&lt;key&gt;.meta</c>; both are written to temp files and renamed, the meta last, so
/// concurrent processes see a whole entry or none (two that miss together both package, and one
/// rename wins). A hit refreshes the meta's mtime, the LRU clock. The newest entry is never
/// evicted, even if it alone exceeds the bound.
/// </summary>
public sealed class ToolchainCache
{
    // v2: archives carry the loader cache; v3: gcc's carry objcopy (-gsplit-dwarf), not lto1/collect2/lto-wrapper.
    // An archive from before is packaged again.
    private const string MetaVersion = "sharpcache-toolchain-v3";
    private static readonly TimeSpan StaleTemp = TimeSpan.FromHours(1);

    private readonly TimeProvider _time;
    private readonly Func<string, Stream, ToolchainArchive> _package;

    public ToolchainCache(string directory, long maxSize, TimeProvider? time = null)
        : this(directory, maxSize, time, ToolchainPackager.Package)
    {
    }

    /// <summary>For tests of the cache alone: <paramref name="package"/> stands in for <see cref="ToolchainPackager.Package"/>.</summary>
    internal ToolchainCache(string directory, long maxSize, TimeProvider? time, Func<string, Stream, ToolchainArchive> package)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        Directory = Path.GetFullPath(directory);
        MaxSize = maxSize;
        _time = time ?? TimeProvider.System;
        _package = package;
    }

    public string Directory { get; }

    /// <summary>Bytes of archives kept (<c>toolchain_cache_size</c>).</summary>
    public long MaxSize { get; }

    /// <summary>
    /// The archive of <paramref name="compilerPath"/>, packaged on a miss. Throws
    /// <see cref="ToolchainPackagingException"/> when it cannot be packaged, <see cref="IOException"/>
    /// when the cache directory cannot be written.
    /// </summary>
    public CachedToolchain GetOrCreate(string compilerPath)
    {
        var located = ToolchainPackager.Locate(compilerPath);
        var key = KeyOf(located);
        System.IO.Directory.CreateDirectory(Directory);
        var archivePath = Path.Combine(Directory, key + ".tar.gz");
        var metaPath = Path.Combine(Directory, key + ".meta");
        if (TryRead(metaPath, archivePath) is { } cached)
        {
            TryTouch(metaPath);
            return new CachedToolchain(cached, archivePath, Hit: true);
        }

        var tempArchive = Path.Combine(Directory, $".tmp-{Guid.NewGuid():N}.tar.gz");
        var tempMeta = Path.ChangeExtension(tempArchive, ".meta");
        try
        {
            ToolchainArchive archive;
            using (var output = new FileStream(tempArchive, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                archive = _package(located, output);
            }

            File.WriteAllText(tempMeta, Format(archive));
            File.SetLastWriteTimeUtc(tempMeta, _time.GetUtcNow().UtcDateTime);
            File.Move(tempArchive, archivePath, overwrite: true);
            File.Move(tempMeta, metaPath, overwrite: true);
            Evict(keep: metaPath);
            return new CachedToolchain(archive, archivePath, Hit: false);
        }
        finally
        {
            File.Delete(tempArchive);
            File.Delete(tempMeta);
        }
    }

    /// <summary>Total bytes of the archives of complete entries.</summary>
    public long TotalSize() => Entries().Sum(entry => entry.Size);

    private string KeyOf(string located)
    {
        var identity = FileIdentity.Of(ToolchainPackager.IdentityPath(located));
        using var hasher = Blake3.Hasher.New();
        hasher.Update(Encoding.UTF8.GetBytes(located + "\n" + identity));
        return hasher.Finalize().ToString()[..32];
    }

    private void Evict(string keep)
    {
        var entries = Entries().OrderBy(entry => entry.LastUsed).ToList();
        var total = entries.Sum(entry => entry.Size);
        foreach (var entry in entries)
        {
            if (total <= MaxSize)
            {
                break;
            }

            if (string.Equals(entry.MetaPath, keep, StringComparison.Ordinal))
            {
                continue;
            }

            // Meta first: from then on nobody takes the archive for a hit.
            File.Delete(entry.MetaPath);
            File.Delete(Path.ChangeExtension(entry.MetaPath, ".tar.gz"));
            total -= entry.Size;
        }

        var now = _time.GetUtcNow().UtcDateTime;
        foreach (var temp in System.IO.Directory.EnumerateFiles(Directory, ".tmp-*"))
        {
            if (now - File.GetLastWriteTimeUtc(temp) > StaleTemp)
            {
                File.Delete(temp);
            }
        }
    }

    private IEnumerable<(string MetaPath, DateTime LastUsed, long Size)> Entries()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            yield break;
        }

        foreach (var meta in System.IO.Directory.EnumerateFiles(Directory, "*.meta"))
        {
            if (Path.GetFileName(meta).StartsWith('.'))
            {
                continue;
            }

            var archive = new FileInfo(Path.ChangeExtension(meta, ".tar.gz"));
            if (archive.Exists)
            {
                yield return (meta, File.GetLastWriteTimeUtc(meta), archive.Length);
            }
        }
    }

    private void TryTouch(string metaPath)
    {
        try
        {
            File.SetLastWriteTimeUtc(metaPath, _time.GetUtcNow().UtcDateTime);
        }
        catch (IOException)
        {
            // Evicted meanwhile by another process: the caller already holds the description.
        }
    }

    private static string Format(ToolchainArchive archive) =>
        string.Create(CultureInfo.InvariantCulture, $"{MetaVersion}\n{archive.ContentId}\n{archive.CompilerPath}\n{archive.FileCount}\n{archive.Size}\n");

    private static ToolchainArchive? TryRead(string metaPath, string archivePath)
    {
        try
        {
            var lines = File.ReadAllLines(metaPath);
            if (lines.Length < 5 || lines[0] != MetaVersion
                || !long.TryParse(lines[4], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                || new FileInfo(archivePath) is not { Exists: true } file || file.Length != size)
            {
                return null;
            }

            int? count = int.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            return new ToolchainArchive(lines[1], lines[2], count, size);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
