namespace SharpCache.Core.Direct;

/// <summary>Outcome of checking a manifest against the file system.</summary>
internal abstract record ManifestMatch
{
    private ManifestMatch()
    {
    }

    /// <summary>Entry <paramref name="EntryIndex"/> matched: read the result stored under <paramref name="ResultKey"/>. <paramref name="HashedFiles"/> counts files that had to be re-read.</summary>
    public sealed record Hit(string ResultKey, int EntryIndex, int HashedFiles) : ManifestMatch
    {
        /// <summary>The manifest with fresher trusted stamps, to store back; null when unchanged.</summary>
        public Manifest? Refreshed { get; init; }
    }

    /// <summary>No entry matched; <paramref name="Reason"/> and <paramref name="Path"/> describe the newest entry's first failure.</summary>
    public sealed record Miss(ManifestMismatch Reason, string? Path) : ManifestMatch
    {
        public override string ToString() => Reason switch
        {
            ManifestMismatch.IncludeChanged => $"include file changed: {Path}",
            ManifestMismatch.IncludeMissing => $"include file missing: {Path}",
            ManifestMismatch.NewFileShadowsInclude => $"new file shadows an include: {Path}",
            _ => "no manifest entries",
        };
    }
}
