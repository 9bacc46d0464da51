using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace SharpCache.Core.Direct;

/// <summary>
/// Adds new entries in front of a stored manifest: newest first, an older entry with the same
/// files (path and digest) and probes as a newer one dropped, at most
/// <see cref="Manifest.MaxEntries"/> entries and <see cref="Manifest.MaxFileRecords"/> distinct
/// file records (the oldest entries go first). Tables are rebuilt, so nothing unreferenced survives.
/// </summary>
internal static class ManifestMerger
{
    public static Manifest Merge(Manifest? existing, Manifest added)
    {
        ArgumentNullException.ThrowIfNull(added);
        var builder = new Builder();
        var signatures = new List<(ulong Files, ulong Probes, int FileCount, int ProbeCount)>();
        foreach (var source in existing is null ? [added] : new[] { added, existing })
        {
            foreach (var entry in source.Entries)
            {
                if (builder.EntryCount >= Manifest.MaxEntries)
                {
                    return builder.Build();
                }

                var signature = Signature(source, entry);
                if (signatures.Contains(signature))
                {
                    continue;
                }

                if (builder.FileRecordCount + builder.CountNewFiles(source, entry) > Manifest.MaxFileRecords)
                {
                    return builder.Build();
                }

                signatures.Add(signature);
                builder.Add(source, entry);
            }
        }

        return builder.Build();
    }

    /// <summary>Order-independent digest of an entry's file and probe sets. A collision only drops an old entry (a lost hit, never a wrong one).</summary>
    private static (ulong Files, ulong Probes, int FileCount, int ProbeCount) Signature(Manifest manifest, ManifestEntry entry)
    {
        ulong files = 0;
        foreach (var index in entry.FileIndices)
        {
            var file = manifest.Files[index];
            files += HashPath(manifest.Paths[file.PathIndex]) ^ (file.Digest.W0 * 0x9E3779B97F4A7C15UL) ^ file.Digest.W1;
        }

        ulong probes = 0;
        foreach (var index in entry.ProbeIndices)
        {
            probes += HashPath(manifest.Paths[manifest.Probes[index].PathIndex]);
        }

        return (files, probes, entry.FileIndices.Length, entry.ProbeIndices.Length);
    }

    private static ulong HashPath(string path) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(path.AsSpan()));

    private sealed class Builder
    {
        private readonly List<string> _paths = [];
        private readonly Dictionary<string, int> _pathIndex = new(StringComparer.Ordinal);
        private readonly List<ManifestFile> _files = [];
        private readonly Dictionary<(int Path, FileDigest Digest), int> _fileIndex = [];
        private readonly List<ManifestProbeDirectory> _directories = [];
        private readonly Dictionary<ManifestProbeDirectory, int> _directoryIndex = [];
        private readonly List<ManifestProbe> _probes = [];
        private readonly Dictionary<ManifestProbe, int> _probeIndex = [];
        private readonly List<ManifestEntry> _entries = [];

        public int EntryCount => _entries.Count;

        public int FileRecordCount => _files.Count;

        public int CountNewFiles(Manifest source, ManifestEntry entry)
        {
            var count = 0;
            foreach (var index in entry.FileIndices)
            {
                var file = source.Files[index];
                if (!_pathIndex.TryGetValue(source.Paths[file.PathIndex], out var path) || !_fileIndex.ContainsKey((path, file.Digest)))
                {
                    count++;
                }
            }

            return count;
        }

        public void Add(Manifest source, ManifestEntry entry)
        {
            var files = new int[entry.FileIndices.Length];
            for (var i = 0; i < files.Length; i++)
            {
                var file = source.Files[entry.FileIndices[i]];
                var path = InternPath(source.Paths[file.PathIndex]);
                if (!_fileIndex.TryGetValue((path, file.Digest), out var index))
                {
                    // Newest first: the first stamp seen for (path, digest) is the freshest one.
                    index = _files.Count;
                    _files.Add(file with { PathIndex = path });
                    _fileIndex.Add((path, file.Digest), index);
                }

                files[i] = index;
            }

            var probes = new int[entry.ProbeIndices.Length];
            for (var i = 0; i < probes.Length; i++)
            {
                var probe = source.Probes[entry.ProbeIndices[i]];
                var directory = source.ProbeDirectories[probe.DirectoryIndex];

                // A directory stamp vouches only for the probes checked when it was taken, so
                // records with different stamps are never merged.
                directory = directory with { PathIndex = InternPath(source.Paths[directory.PathIndex]) };
                if (!_directoryIndex.TryGetValue(directory, out var directoryIndex))
                {
                    directoryIndex = _directories.Count;
                    _directories.Add(directory);
                    _directoryIndex.Add(directory, directoryIndex);
                }

                var mapped = new ManifestProbe(InternPath(source.Paths[probe.PathIndex]), directoryIndex);
                if (!_probeIndex.TryGetValue(mapped, out var index))
                {
                    index = _probes.Count;
                    _probes.Add(mapped);
                    _probeIndex.Add(mapped, index);
                }

                probes[i] = index;
            }

            _entries.Add(new ManifestEntry(files, probes, entry.ResultKey));
        }

        public Manifest Build() => new([.. _paths], [.. _files], [.. _directories], [.. _probes], [.. _entries]);

        private int InternPath(string path)
        {
            if (!_pathIndex.TryGetValue(path, out var index))
            {
                index = _paths.Count;
                _paths.Add(path);
                _pathIndex.Add(path, index);
            }

            return index;
        }
    }
}
