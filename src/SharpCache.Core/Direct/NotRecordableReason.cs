namespace SharpCache.Core.Direct;

/// <summary>Why a compile cannot get a manifest entry (it is still cached by its preprocessor-mode key).</summary>
internal enum NotRecordableReason
{
    /// <summary>The source or a header uses __DATE__, __TIME__ or __TIMESTAMP__.</summary>
    TimeMacro,

    /// <summary>A file was modified less than a second before the compile started (or after): its stamp cannot vouch for its content.</summary>
    TooNewFile,

    /// <summary>A file the preprocessor read cannot be stat'ed or read now.</summary>
    UnreadableFile,

    /// <summary>More includes than a manifest may hold.</summary>
    TooManyIncludes,
}
