namespace SharpCache.Core.Compilers;

/// <summary>
/// Why a compiler invocation is run directly instead of through the cache. Each value has a
/// stable, user-visible name (see <see cref="NotCacheableReasonNames"/>) shown in <c>-s</c> and the JSON stats.
/// </summary>
public enum NotCacheableReason
{
    /// <summary>No <c>-c</c>/<c>-S</c>: a link or a driver-only call.</summary>
    NotCompilation,
    /// <summary>More than one input file (including linker inputs).</summary>
    MultipleSourceFiles,
    NoSourceFile,
    PreprocessOnly,
    DependenciesOnly,
    SyntaxOnly,
    StdinInput,
    UnknownLanguage,
    PrecompiledHeader,
    MultipleArch,
    SaveTemps,
    /// <summary><c>-fprofile-use</c> data that is a directory, missing, or implied by gcc's default lookup.</summary>
    ProfileUseUnhashable,
    OutputToStdout,
    Modules,
    /// <summary>A flag whose side outputs or semantics the cache does not model; the detail names it.</summary>
    UnsupportedFlag,
    ResponseFileError,
    UnsupportedCompiler,
    /// <summary><c>SCCACHE_NO_CACHE</c> set in the environment.</summary>
    CacheDisabled,
}
