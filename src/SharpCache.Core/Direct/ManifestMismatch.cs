namespace SharpCache.Core.Direct;

/// <summary>Why the newest manifest entry did not match (for the explain output).</summary>
internal enum ManifestMismatch
{
    /// <summary>The manifest has no entries.</summary>
    NoEntries,

    /// <summary>An include file's content differs from what was recorded.</summary>
    IncludeChanged,

    /// <summary>An include file is gone, is now a directory, or cannot be read.</summary>
    IncludeMissing,

    /// <summary>A file now exists where the compiler would find it before a recorded include.</summary>
    NewFileShadowsInclude,
}
