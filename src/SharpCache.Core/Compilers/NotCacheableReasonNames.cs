namespace SharpCache.Core.Compilers;

/// <summary>
/// Stable user-visible names of <see cref="NotCacheableReason"/> values, shown by <c>-s</c> and in
/// the JSON stats. Never rename one: scripts key on them. Where sccache names the flag, so do we.
/// </summary>
public static class NotCacheableReasonNames
{
    public static string Get(NotCacheableReason reason) => reason switch
    {
        NotCacheableReason.NotCompilation => "not a compilation",
        NotCacheableReason.MultipleSourceFiles => "multiple input files",
        NotCacheableReason.NoSourceFile => "no input file",
        NotCacheableReason.PreprocessOnly => "-E",
        NotCacheableReason.DependenciesOnly => "-M",
        NotCacheableReason.SyntaxOnly => "-fsyntax-only",
        NotCacheableReason.StdinInput => "stdin input",
        NotCacheableReason.UnknownLanguage => "unknown source language",
        NotCacheableReason.PrecompiledHeader => "precompiled header",
        NotCacheableReason.MultipleArch => "multiple different -arch",
        NotCacheableReason.SaveTemps => "-save-temps",
        NotCacheableReason.ProfileUseUnhashable => "unhashable profile data",
        NotCacheableReason.OutputToStdout => "output to stdout",
        NotCacheableReason.Modules => "modules",
        NotCacheableReason.UnsupportedFlag => "unsupported flag",
        NotCacheableReason.ResponseFileError => "unreadable response file",
        NotCacheableReason.UnsupportedCompiler => "unsupported compiler",
        NotCacheableReason.CacheDisabled => "cache disabled",
        _ => reason.ToString(),
    };
}
