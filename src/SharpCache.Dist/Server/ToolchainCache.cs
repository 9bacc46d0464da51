using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using SharpCache.Dist.Archives;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Server;

/// <summary>
/// The build server's toolchains, unpacked under <c>&lt;cache_dir&gt;/toolchains/&lt;alg&gt;-&lt;hex&gt;/</c>
/// and bounded by <c>toolchain_cache_size</c> (bytes unpacked), least recently used first out;
/// toolchains in use by a running job are never evicted. An upload is spooled while hashed,
/// verified against its id, unpacked safely into a temporary directory and renamed into place,
/// so a half-written toolchain is never visible. Thread-safe.
/// </summary>
internal sealed class ToolchainCache
{
    /// <summary>Each toolchain directory has a sibling file holding its unpacked size; written last, so its presence marks a complete toolchain.</summary>
    private const string SizeSuffix = ".size";

    private readonly Lock _lock = new();
    private readonly string _root;
    private readonly string _tmp;
    private readonly long _capacity;
    private readonly long _maxArchive;
    private readonly UnpackLimits _limits;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ToolchainCache(string cacheDir, long capacity, long maxArchive, UnpackLimits limits, TimeProvider time)
    {
        _root = Path.Combine(cacheDir, "toolchains");
        _tmp = Path.Combine(cacheDir, "tmp");
        _capacity = capacity;
        _maxArchive = maxArchive;
        _limits = limits;
        _time = time;
        if (Directory.Exists(_tmp))
        {
            Directory.Delete(_tmp, recursive: true);
        }

        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_tmp);
        LoadExisting();
    }

    /// <summary>
    /// Called before a new toolchain is stored when it does not fit next to the others: whoever pins toolchains without
    /// a running job (prepared sandboxes) lets go, so the least recently used can be evicted.
    /// </summary>
    public Action? NeedsRoom { get; set; }

    public long TotalBytes
    {
        get
        {
            lock (_lock)
            {
                return _entries.Values.Sum(e => e.Bytes);
            }
        }
    }

    /// <summary>Canonical ids held now (reported in heartbeats for affinity).</summary>
    public IReadOnlyList<string> Ids()
    {
        lock (_lock)
        {
            return [.. _entries.Values.Select(e => e.Id.ToString())];
        }
    }

    public bool Contains(ToolchainId id)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(id.FileName);
        }
    }

    /// <summary>The unpacked root of a held toolchain, pinned against eviction until the lease is disposed; null if absent.</summary>
    public Lease? Acquire(ToolchainId id)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(id.FileName, out var entry))
            {
                return null;
            }

            entry.InUse++;
            entry.LastUse = _time.GetUtcNow();
            return new Lease(this, entry);
        }
    }

    public async Task<ToolchainStoreResult> StoreAsync(ToolchainId id, Stream body, CancellationToken cancellationToken)
    {
        if (Contains(id))
        {
            return new ToolchainStoreResult.AlreadyPresent();
        }

        var spool = Path.Combine(_tmp, $"{id.FileName}-{Guid.NewGuid():N}.archive");
        var unpacked = Path.Combine(_tmp, $"{id.FileName}-{Guid.NewGuid():N}");
        try
        {
            var (length, actual) = await SpoolAndHashAsync(id.Algorithm, body, spool, cancellationToken).ConfigureAwait(false);
            if (length > _maxArchive)
            {
                return new ToolchainStoreResult.TooLarge($"archive is larger than max_toolchain_archive_size ({_maxArchive} bytes)");
            }

            if (actual != id.Hex)
            {
                return new ToolchainStoreResult.HashMismatch(actual);
            }

            UnpackResult result;
            await using (var archive = new FileStream(spool, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan))
            {
                result = await SafeTarExtractor.ExtractAsync(archive, unpacked, _limits, cancellationToken).ConfigureAwait(false);
            }

            if (result.Error is { } error)
            {
                return error.Kind is UnpackErrorKind.TooLarge or UnpackErrorKind.TooManyFiles
                    ? new ToolchainStoreResult.TooLarge(error.ToString())
                    : new ToolchainStoreResult.Unsafe(error);
            }

            if (result.Bytes > _capacity)
            {
                return new ToolchainStoreResult.TooLarge($"toolchain unpacks to {result.Bytes} bytes, more than toolchain_cache_size ({_capacity})");
            }

            if (TotalBytes + result.Bytes > _capacity)
            {
                NeedsRoom?.Invoke();
            }

            return Insert(id, unpacked, result.Bytes);
        }
        finally
        {
            TryDelete(spool);
            TryDelete(unpacked);
        }
    }

    private ToolchainStoreResult Insert(ToolchainId id, string unpacked, long bytes)
    {
        List<string> evicted = [];
        lock (_lock)
        {
            if (_entries.ContainsKey(id.FileName))
            {
                return new ToolchainStoreResult.AlreadyPresent();
            }

            var total = _entries.Values.Sum(e => e.Bytes);
            foreach (var old in _entries.Values.Where(e => e.InUse == 0).OrderBy(e => e.LastUse).ToList())
            {
                if (total + bytes <= _capacity)
                {
                    break;
                }

                _entries.Remove(old.Id.FileName);
                total -= old.Bytes;
                evicted.Add(old.Path);
                evicted.Add(old.Path + SizeSuffix);
            }

            if (total + bytes > _capacity)
            {
                return new ToolchainStoreResult.TooLarge("toolchain_cache_size is taken by toolchains of running jobs");
            }

            var path = Path.Combine(_root, id.FileName);
            TryDelete(path);
            Directory.Move(unpacked, path);
            File.WriteAllText(path + SizeSuffix, bytes.ToString(CultureInfo.InvariantCulture));
            _entries.Add(id.FileName, new Entry(id, path, bytes) { LastUse = _time.GetUtcNow() });
        }

        foreach (var path in evicted)
        {
            TryDelete(path);
        }

        return new ToolchainStoreResult.Stored(bytes);
    }

    private async Task<(long Length, string Hex)> SpoolAndHashAsync(ToolchainHashAlgorithm algorithm, Stream body, string spool, CancellationToken cancellationToken)
    {
        using var blake = Blake3.Hasher.New();
        using var sha = algorithm == ToolchainHashAlgorithm.Sha256 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        long length = 0;
        try
        {
            await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true);
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length > _maxArchive)
                {
                    return (length, "");
                }

                if (sha is not null)
                {
                    sha.AppendData(buffer, 0, read);
                }
                else
                {
                    blake.Update(buffer.AsSpan(0, read));
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var hex = sha is not null ? Convert.ToHexStringLower(sha.GetHashAndReset()) : blake.Finalize().ToString();
        return (length, hex);
    }

    private void LoadExisting()
    {
        foreach (var dir in Directory.EnumerateDirectories(_root))
        {
            var name = Path.GetFileName(dir);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            var sizePath = dir + SizeSuffix;
            if (dash > 0 && ToolchainId.TryParse($"{name[..dash]}:{name[(dash + 1)..]}", out var id) && id.FileName == name
                && File.Exists(sizePath) && long.TryParse(File.ReadAllText(sizePath), out var bytes))
            {
                _entries[name] = new Entry(id, dir, bytes) { LastUse = new DirectoryInfo(dir).LastWriteTimeUtc };
            }
            else
            {
                TryDelete(dir); // incomplete or foreign: not trusted
                TryDelete(sizePath);
            }
        }
    }

    private void Release(Entry entry)
    {
        lock (_lock)
        {
            entry.InUse--;
            entry.LastUse = _time.GetUtcNow();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next start's cleanup of tmp/.
        }
    }

    internal sealed class Entry(ToolchainId id, string path, long bytes)
    {
        public ToolchainId Id { get; } = id;

        public string Path { get; } = path;

        public long Bytes { get; } = bytes;

        public int InUse { get; set; }

        public DateTimeOffset LastUse { get; set; }
    }

    /// <summary>A pinned toolchain; <see cref="Root"/> stays on disk until disposed.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly ToolchainCache _cache;
        private readonly Entry _entry;
        private int _disposed;

        internal Lease(ToolchainCache cache, Entry entry)
        {
            _cache = cache;
            _entry = entry;
        }

        public string Root => _entry.Path;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _cache.Release(_entry);
            }
        }
    }
}
