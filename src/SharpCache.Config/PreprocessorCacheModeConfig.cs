namespace SharpCache.Config;

/// <summary>
/// <c>[cache.disk.preprocessor_cache_mode]</c>: direct mode's switches. sccache's defaults are odd and kept:
/// without the sub-table direct mode is on (<see cref="Activated"/>), but a sub-table that omits
/// <c>use_preprocessor_cache_mode</c> turns it off (<see cref="Default"/>).
/// </summary>
public sealed record PreprocessorCacheModeConfig
{
    /// <summary>The sub-table's own defaults (direct mode off).</summary>
    public static PreprocessorCacheModeConfig Default { get; } = new();

    /// <summary>The defaults when the sub-table is absent (direct mode on).</summary>
    public static PreprocessorCacheModeConfig Activated { get; } = new() { UsePreprocessorCacheMode = true };

    /// <summary><c>use_preprocessor_cache_mode</c>: direct mode on or off.</summary>
    public bool UsePreprocessorCacheMode { get; init; }

    /// <summary><c>file_stat_matches</c>: trust size+mtime(+ctime) of a header instead of hashing it.</summary>
    public bool FileStatMatches { get; init; }

    /// <summary><c>use_ctime_for_stat</c> (default true): include ctime in the stat comparison.</summary>
    public bool UseCtimeForStat { get; init; } = true;

    /// <summary><c>ignore_time_macros</c>: cache even when a file uses <c>__DATE__</c>/<c>__TIME__</c>/<c>__TIMESTAMP__</c>.</summary>
    public bool IgnoreTimeMacros { get; init; }

    /// <summary><c>skip_system_headers</c>: do not hash system headers' contents.</summary>
    public bool SkipSystemHeaders { get; init; }

    /// <summary><c>hash_working_directory</c> (default true): the working directory is part of the direct-mode key.</summary>
    public bool HashWorkingDirectory { get; init; } = true;
}
