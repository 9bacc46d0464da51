namespace SharpCache.Core.Direct;

/// <summary>Which safety checks <see cref="ManifestEntryBuilder"/> applies; users relax them with sloppiness settings.</summary>
[Flags]
internal enum EntryChecks
{
    None = 0,

    /// <summary>Refuse entries whose files use <c>__DATE__</c>, <c>__TIME__</c> or <c>__TIMESTAMP__</c>.</summary>
    TimeMacros = 1,

    /// <summary>Refuse entries whose files' mtime is at or after the compile's start.</summary>
    Mtime = 2,

    /// <summary>Refuse entries whose files' ctime is at or after the compile's start.</summary>
    Ctime = 4,

    All = TimeMacros | Mtime | Ctime,
}
