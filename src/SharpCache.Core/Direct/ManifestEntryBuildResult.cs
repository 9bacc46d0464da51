namespace SharpCache.Core.Direct;

/// <summary>Outcome of <see cref="ManifestEntryBuilder.Build"/>.</summary>
internal abstract record ManifestEntryBuildResult
{
    private ManifestEntryBuildResult()
    {
    }

    /// <summary>A one-entry manifest, ready for <see cref="ManifestMerger.Merge"/>.</summary>
    public sealed record Recorded(Manifest Manifest) : ManifestEntryBuildResult;

    public sealed record NotRecordable(NotRecordableReason Reason, string? Path) : ManifestEntryBuildResult
    {
        public override string ToString() => $"{Reason}: {Path}";
    }
}
