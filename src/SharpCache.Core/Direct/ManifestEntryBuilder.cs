namespace SharpCache.Core.Direct;

/// <summary>
/// Builds the manifest entry for a compile that just succeeded: stat then hash every file the
/// preprocessor read (one read per file: BLAKE3 and the time-macro scan together; the stat
/// comes first so a later change always shows in the stamp), and the negative probes with their
/// directories stamped before the probes themselves are checked.
/// </summary>
internal static class ManifestEntryBuilder
{
    private const long NanosPerSecond = 1_000_000_000;

    /// <param name="includeFiles">Files from the linemarkers (<see cref="LinemarkerParser.Files"/>), as printed.</param>
    /// <param name="searchDirectories">From <see cref="IncludeSearchPath.Parse"/>.</param>
    /// <param name="sourceFile">The source as on the command line; scanned, but not recorded (the direct key has its digest).</param>
    /// <param name="workingDirectory">The compile's working directory: relative paths resolve against it.</param>
    /// <param name="compileStartedUtc">When the preprocessor/compile started; files changed from a second before it on are too new.</param>
    /// <param name="resultKey">The key the compile's result is stored under.</param>
    /// <param name="hashes">Digests of unchanged files from earlier compiles (and where this one's go); null: hash every file.</param>
    public static ManifestEntryBuildResult Build(
        IReadOnlyList<string> includeFiles,
        IReadOnlyList<string> searchDirectories,
        string sourceFile,
        string workingDirectory,
        DateTime compileStartedUtc,
        string resultKey,
        EntryChecks checks = EntryChecks.All,
        HeaderHashCache? hashes = null)
    {
        ArgumentNullException.ThrowIfNull(includeFiles);
        ArgumentNullException.ThrowIfNull(resultKey);
        var startNs = (compileStartedUtc.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) * 100;
        var tooNewFrom = startNs - NanosPerSecond;
        var clock = new CompileClock(startNs, checks, hashes);
        var sourceFull = Path.GetFullPath(sourceFile, workingDirectory);
        if (CheckFile(sourceFull, sourceFile, clock, out _) is { } sourceProblem)
        {
            return sourceProblem;
        }

        var paths = new List<string>(includeFiles.Count);
        var files = new List<ManifestFile>(includeFiles.Count);
        var recorded = new List<string>(includeFiles.Count);
        foreach (var include in includeFiles)
        {
            var full = Path.GetFullPath(include, workingDirectory);
            if (string.Equals(full, sourceFull, StringComparison.Ordinal))
            {
                continue;
            }

            if (CheckFile(full, include, clock, out var file) is { } problem)
            {
                return problem;
            }

            files.Add(file with { PathIndex = paths.Count });
            paths.Add(include);
            recorded.Add(include);
        }

        if (files.Count > Manifest.MaxFileRecords)
        {
            return new ManifestEntryBuildResult.NotRecordable(NotRecordableReason.TooManyIncludes, null);
        }

        var (directories, probes) = BuildProbes(recorded, searchDirectories, sourceFile, workingDirectory, tooNewFrom, paths);
        var fileIndices = new int[files.Count];
        for (var i = 0; i < fileIndices.Length; i++)
        {
            fileIndices[i] = i;
        }

        var probeIndices = new int[probes.Count];
        for (var i = 0; i < probeIndices.Length; i++)
        {
            probeIndices[i] = i;
        }

        var entry = new ManifestEntry(fileIndices, probeIndices, resultKey);
        return new ManifestEntryBuildResult.Recorded(new Manifest([.. paths], [.. files], [.. directories], [.. probes], [entry]));
    }

    /// <summary>
    /// A file changed after the compile started may have been read by the compiler in another
    /// version than the one hashed now: not recordable. "After" allows for the kernel's coarse
    /// file clock (a few ms) on nanosecond filesystems and a whole second where timestamps have
    /// no sub-second part. A file changed shortly before the compile is recordable, but its stamp
    /// is not trusted (a second change within the same clock tick would leave it unchanged), so
    /// lookups re-hash it until a later compile records it again.
    /// </summary>
    private static ManifestEntryBuildResult.NotRecordable? CheckFile(string fullPath, string label, CompileClock clock, out ManifestFile file)
    {
        file = default;
        if (FileStamp.Read(fullPath, out var stamp) != FileStampStatus.File)
        {
            return new(NotRecordableReason.UnreadableFile, label);
        }

        var coarse = stamp.MtimeNs % NanosPerSecond == 0 && stamp.CtimeNs % NanosPerSecond == 0;
        var changedFrom = clock.StartNs - (coarse ? NanosPerSecond : CoarseClockSlackNs);
        var newest = Math.Max((clock.Checks & EntryChecks.Mtime) != 0 ? stamp.MtimeNs : 0, (clock.Checks & EntryChecks.Ctime) != 0 ? stamp.CtimeNs : 0);
        if (newest >= changedFrom)
        {
            return new(NotRecordableReason.TooNewFile, label);
        }

        var scan = (clock.Checks & EntryChecks.TimeMacros) != 0;
        if (clock.Hashes?.TryGet(stamp, clock.StartNs, scan, out var digest, out var hasTimeMacro) != true)
        {
            if (!FileHasher.TryHash(fullPath, scan, out digest, out hasTimeMacro))
            {
                return new(NotRecordableReason.UnreadableFile, label);
            }

            clock.Hashes?.Put(stamp, clock.StartNs, digest, scan, hasTimeMacro);
        }

        if (hasTimeMacro)
        {
            return new(NotRecordableReason.TimeMacro, label);
        }

        var recent = Math.Max(stamp.MtimeNs, stamp.CtimeNs) >= clock.StartNs - (2 * NanosPerSecond);
        file = new ManifestFile(0, digest, recent ? default : stamp);
        return null;
    }

    /// <summary>The kernel stamps files from a clock that lags by up to a tick (1-10 ms), with margin.</summary>
    private const long CoarseClockSlackNs = 20_000_000;

    private readonly record struct CompileClock(long StartNs, EntryChecks Checks, HeaderHashCache? Hashes);

    private static (List<ManifestProbeDirectory> Directories, List<ManifestProbe> Probes) BuildProbes(
        List<string> includes,
        IReadOnlyList<string> searchDirectories,
        string sourceFile,
        string workingDirectory,
        long tooNewFrom,
        List<string> paths)
    {
        var candidates = NegativeProbes.Candidates(includes, searchDirectories, sourceFile, workingDirectory);
        var directories = new List<ManifestProbeDirectory>();
        var directoryIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var candidateDirectory = new int[candidates.Count];

        // Directories first: a file created after its directory was stamped changes that stamp.
        for (var i = 0; i < candidates.Count; i++)
        {
            var directory = DirectoryOf(candidates[i]);
            if (!directoryIndex.TryGetValue(directory, out var index))
            {
                var status = FileStamp.Read(Resolve(directory, workingDirectory), out var stamp);

                // Kernel timestamps are coarse (a jiffy): a directory changed within the last
                // second might change again without its stamp moving, so it vouches for nothing.
                if (stamp.MtimeNs >= tooNewFrom || stamp.CtimeNs >= tooNewFrom)
                {
                    stamp = default;
                }

                index = directories.Count;
                directories.Add(new ManifestProbeDirectory(paths.Count, status != FileStampStatus.Missing, stamp));
                paths.Add(directory);
                directoryIndex.Add(directory, index);
            }

            candidateDirectory[i] = index;
        }

        var probes = new List<ManifestProbe>();
        for (var i = 0; i < candidates.Count; i++)
        {
            // Something already there (an #include_next chain, or unreadable) is not a probe. Most candidates lie in
            // directories that do not exist (a header's relative path under every earlier search directory): those
            // are missing without a stat of their own (a C++ unit: ~2,000 of ~2,400 stats). A directory made since
            // its stamp was read is seen by the lookup, which checks the directory first.
            if (!directories[candidateDirectory[i]].Exists
                || FileStamp.Read(Resolve(candidates[i], workingDirectory), out _) is FileStampStatus.Missing or FileStampStatus.Directory)
            {
                probes.Add(new ManifestProbe(paths.Count, candidateDirectory[i]));
                paths.Add(candidates[i]);
            }
        }

        return (directories, probes);
    }

    private static string DirectoryOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path[..slash];
    }

    private static string Resolve(string path, string workingDirectory) =>
        Path.IsPathRooted(path) ? path : Path.Join(workingDirectory, path);
}
