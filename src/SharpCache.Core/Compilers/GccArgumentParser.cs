namespace SharpCache.Core.Compilers;

/// <summary>Table-driven argument model for gcc and clang (C, C++, Objective-C, assembler).</summary>
public static class GccArgumentParser
{
    /// <summary>
    /// Classifies <paramref name="arguments"/> (everything after the compiler executable).
    /// <c>@file</c> response files are expanded relative to <paramref name="workingDirectory"/>.
    /// </summary>
    public static ArgumentParseResult Parse(IReadOnlyList<string> arguments, CompilerFamily family, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        _ = family;
        _ = workingDirectory;
        return new ArgumentParseResult.NotCacheable(NotCacheableReason.UnsupportedFlag, "not implemented");
    }
}
