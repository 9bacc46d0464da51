namespace SharpCache.Core.Compilers;

/// <summary>
/// Why a compiler invocation is run directly instead of through the cache. Each value has a
/// stable, user-visible name (see <see cref="NotCacheableReasonNames"/>) shown in <c>-s</c> and the JSON stats.
/// </summary>
public enum NotCacheableReason
{
    /// <summary>No <c>-c</c>/<c>-S</c>: a link or a driver-only call.</summary>
    NotCompilation,
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
    ProfileUseUnhashable,
    ProfileGenerate,
    OutputToStdout,
    Modules,
    UnsupportedFlag,
    ResponseFileError,
    UnsupportedCompiler,
    /// <summary><c>SCCACHE_NO_CACHE</c> set in the environment.</summary>
    CacheDisabled,
}
