namespace SharpCache.Core.Direct;

/// <summary>
/// Finds the first (newest) manifest entry that still describes the file system. For each entry,
/// cheapest checks first: one stat per include (an unchanged stamp vouches for the recorded
/// digest), then the negative probes (one stat per probe directory, a stat per probe only where
/// that directory changed), then hashing of the includes whose stamp changed (or their digest from
/// the <see cref="HeaderHashCache"/>, opened only then: after a checkout touched every header, the
/// first unit hashes them and the others find them). Stats and digests are memoised per path for
/// the whole lookup, since entries share files.
/// </summary>
internal sealed class ManifestMatcher
{
    private const byte Unknown = 0;
    private const byte Known = 1;
    private const byte Unreadable = 2;
    private const byte DirectoryUnchanged = 1;
    private const byte DirectoryChanged = 2;

    private readonly Manifest _manifest;
    private readonly string _workingDirectory;
    private readonly string?[] _fullPaths;
    private readonly FileStampStatus?[] _statuses;
    private readonly FileStamp[] _stamps;
    private readonly byte[] _digestStates;
    private readonly FileDigest[] _digests;
    private readonly byte[] _directoryStates;
    private readonly List<int> _toHash = [];
    private readonly Func<HeaderHashCache?>? _openHashes;
    private readonly long _nowNs;
    private HeaderHashCache? _hashes;
    private bool _hashesOpened;
    private int _hashedFiles;

    private ManifestMatcher(Manifest manifest, string workingDirectory, Func<HeaderHashCache?>? openHashes, DateTime nowUtc)
    {
        _manifest = manifest;
        _workingDirectory = workingDirectory;
        _openHashes = openHashes;
        _nowNs = (nowUtc.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        var paths = manifest.Paths.Length;
        _fullPaths = new string?[paths];
        _statuses = new FileStampStatus?[paths];
        _stamps = new FileStamp[paths];
        _digestStates = new byte[paths];
        _digests = new FileDigest[paths];
        _directoryStates = new byte[manifest.ProbeDirectories.Length];
    }

    /// <summary>
    /// Checks <paramref name="manifest"/>; relative paths in it resolve against <paramref name="workingDirectory"/>.
    /// <paramref name="openHashes"/> opens the digests of unchanged files, if a file has to be hashed; <paramref name="nowUtc"/>
    /// (tests) is the present against which stamps are old enough to trust.
    /// </summary>
    public static ManifestMatch Match(Manifest manifest, string workingDirectory, Func<HeaderHashCache?>? openHashes = null, DateTime? nowUtc = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentException.ThrowIfNullOrEmpty(workingDirectory);
        if (manifest.Entries.Length == 0)
        {
            return new ManifestMatch.Miss(ManifestMismatch.NoEntries, null);
        }

        var matcher = new ManifestMatcher(manifest, workingDirectory, openHashes, nowUtc ?? DateTime.UtcNow);
        try
        {
            return matcher.MatchEntries();
        }
        finally
        {
            matcher._hashes?.Dispose();
        }
    }

    private ManifestMatch MatchEntries()
    {
        ManifestMatch.Miss? first = null;
        for (var i = 0; i < _manifest.Entries.Length; i++)
        {
            var miss = Check(_manifest.Entries[i]);
            if (miss is null)
            {
                return new ManifestMatch.Hit(_manifest.Entries[i].ResultKey, i, _hashedFiles)
                {
                    Refreshed = Refresh(_manifest.Entries[i], new DateTime(DateTime.UnixEpoch.Ticks + (_nowNs / 100), DateTimeKind.Utc)),
                };
            }

            first ??= miss;
        }

        return first!;
    }

    private ManifestMatch.Miss? Check(ManifestEntry entry)
    {
        _toHash.Clear();
        foreach (var index in entry.FileIndices)
        {
            var file = _manifest.Files[index];
            if (Stat(file.PathIndex, out var stamp) != FileStampStatus.File)
            {
                return Miss(ManifestMismatch.IncludeMissing, file.PathIndex);
            }

            if (stamp == file.Stamp && stamp.IsTrustworthy)
            {
                if (_digestStates[file.PathIndex] == Unknown)
                {
                    _digestStates[file.PathIndex] = Known;
                    _digests[file.PathIndex] = file.Digest;
                }
            }
            else
            {
                _toHash.Add(index);
            }
        }

        foreach (var index in entry.ProbeIndices)
        {
            var probe = _manifest.Probes[index];
            if (!DirectoryUnchangedSinceRecorded(probe.DirectoryIndex)
                && Stat(probe.PathIndex, out _) is FileStampStatus.File or FileStampStatus.Error)
            {
                return Miss(ManifestMismatch.NewFileShadowsInclude, probe.PathIndex);
            }
        }

        foreach (var index in _toHash)
        {
            var file = _manifest.Files[index];
            var path = file.PathIndex;
            if (_digestStates[path] == Unknown)
            {
                _digestStates[path] = Hash(path) ? Known : Unreadable;
            }

            if (_digestStates[path] == Unreadable)
            {
                return Miss(ManifestMismatch.IncludeMissing, path);
            }

            if (_digests[path] != file.Digest)
            {
                return Miss(ManifestMismatch.IncludeChanged, path);
            }
        }

        return null;
    }

    /// <summary>
    /// After a hit that had to re-hash files (touched, copied, or recorded while too recent to
    /// trust), the manifest with the stamps taken before hashing, so the next lookup is stats
    /// only. A stamp is adopted only when the file had not changed for a while when stamped
    /// (a change within the same clock tick would not move it). Null when nothing improves.
    /// </summary>
    private Manifest? Refresh(ManifestEntry entry, DateTime nowUtc)
    {
        var settledBefore = ((nowUtc.Ticks - DateTime.UnixEpoch.Ticks) * 100) - SettledNs;
        ManifestFile[]? files = null;
        foreach (var index in entry.FileIndices)
        {
            var file = _manifest.Files[index];
            var path = file.PathIndex;
            var stamp = _stamps[path];
            if (_statuses[path] == FileStampStatus.File && _digestStates[path] == Known && _digests[path] == file.Digest
                && stamp != file.Stamp && stamp.IsTrustworthy && Math.Max(stamp.MtimeNs, stamp.CtimeNs) < settledBefore)
            {
                files ??= (ManifestFile[])_manifest.Files.Clone();
                files[index] = file with { Stamp = stamp };
            }
        }

        ManifestProbeDirectory[]? directories = null;
        foreach (var index in entry.ProbeIndices)
        {
            var directoryIndex = _manifest.Probes[index].DirectoryIndex;
            var directory = _manifest.ProbeDirectories[directoryIndex];
            var path = directory.PathIndex;
            var stamp = _stamps[path];

            // The directory's stamp may vouch for its probes only if every probe under it, from
            // any entry, was just seen absent (stamped after the directory).
            if (directory.Exists && _statuses[path] == FileStampStatus.Directory && !directory.Stamp.IsTrustworthy
                && stamp.IsTrustworthy && Math.Max(stamp.MtimeNs, stamp.CtimeNs) < settledBefore
                && AllProbesSeenMissing(directoryIndex))
            {
                directories ??= (ManifestProbeDirectory[])_manifest.ProbeDirectories.Clone();
                directories[directoryIndex] = directory with { Stamp = stamp };
            }
        }

        return files is null && directories is null
            ? null
            : _manifest with { Files = files ?? _manifest.Files, ProbeDirectories = directories ?? _manifest.ProbeDirectories };
    }

    private bool AllProbesSeenMissing(int directoryIndex)
    {
        foreach (var probe in _manifest.Probes)
        {
            if (probe.DirectoryIndex == directoryIndex && _statuses[probe.PathIndex] != FileStampStatus.Missing)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A file unchanged for this long has a stamp that a later change is sure to move.</summary>
    private const long SettledNs = 2_000_000_000;

    private bool DirectoryUnchangedSinceRecorded(int directoryIndex)
    {
        var state = _directoryStates[directoryIndex];
        if (state == Unknown)
        {
            var directory = _manifest.ProbeDirectories[directoryIndex];
            var status = Stat(directory.PathIndex, out var stamp);
            var unchanged = directory.Exists
                ? status is FileStampStatus.Directory or FileStampStatus.File && stamp == directory.Stamp && stamp.IsTrustworthy
                : status == FileStampStatus.Missing;
            state = unchanged ? DirectoryUnchanged : DirectoryChanged;
            _directoryStates[directoryIndex] = state;
        }

        return state == DirectoryUnchanged;
    }

    /// <summary>The digest of a file whose stamp changed: from the header hash cache when another compile saw this version.</summary>
    private bool Hash(int path)
    {
        if (!_hashesOpened)
        {
            _hashesOpened = true;
            _hashes = _openHashes?.Invoke();
        }

        var stamp = _stamps[path];
        if (_hashes is not null && _hashes.TryGet(stamp, _nowNs, scanTimeMacros: false, out _digests[path], out _))
        {
            return true;
        }

        _hashedFiles++;
        if (!FileHasher.TryHash(FullPath(path), false, out _digests[path], out _))
        {
            return false;
        }

        _hashes?.Put(stamp, _nowNs, _digests[path], scannedTimeMacros: false, hasTimeMacro: false);
        return true;
    }

    private FileStampStatus Stat(int pathIndex, out FileStamp stamp)
    {
        if (_statuses[pathIndex] is { } known)
        {
            stamp = _stamps[pathIndex];
            return known;
        }

        var status = FileStamp.Read(FullPath(pathIndex), out stamp);
        _statuses[pathIndex] = status;
        _stamps[pathIndex] = stamp;
        return status;
    }

    private string FullPath(int pathIndex) =>
        _fullPaths[pathIndex] ??= Path.IsPathRooted(_manifest.Paths[pathIndex])
            ? _manifest.Paths[pathIndex]
            : Path.Join(_workingDirectory, _manifest.Paths[pathIndex]);

    private ManifestMatch.Miss Miss(ManifestMismatch reason, int pathIndex) => new(reason, _manifest.Paths[pathIndex]);
}
