namespace SharpCache.Core.Direct;

/// <summary>
/// What is stored under a direct-mode key: up to <see cref="MaxEntries"/> entries, newest first,
/// sharing tables of paths, file records, probe directories and probes. Paths are as the
/// preprocessor printed them: relative ones are relative to the compile's working directory.
/// </summary>
internal sealed record Manifest(
    string[] Paths,
    ManifestFile[] Files,
    ManifestProbeDirectory[] ProbeDirectories,
    ManifestProbe[] Probes,
    ManifestEntry[] Entries)
{
    public const int MaxEntries = 16;

    /// <summary>Distinct include-file records per manifest; older entries are dropped to stay under it.</summary>
    public const int MaxFileRecords = 10_000;

    public static Manifest Empty { get; } = new([], [], [], [], []);
}
