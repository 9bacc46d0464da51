using SharpCache.Core.Compilers;

namespace SharpCache.Core.Tests.Compilers;

internal static class ParserTestHelpers
{
    public static ParsedCompilation Cacheable(CompilerFamily family, string workingDirectory, params string[] arguments)
    {
        var result = GccArgumentParser.Parse(arguments, family, workingDirectory);
        var cacheable = Assert.IsType<ArgumentParseResult.Cacheable>(result);
        return cacheable.Compilation;
    }

    public static ParsedCompilation Cacheable(params string[] arguments) =>
        Cacheable(CompilerFamily.Gcc, "/nonexistent-wd", arguments);

    public static ArgumentParseResult.NotCacheable NotCacheable(CompilerFamily family, string workingDirectory, params string[] arguments)
    {
        var result = GccArgumentParser.Parse(arguments, family, workingDirectory);
        return Assert.IsType<ArgumentParseResult.NotCacheable>(result);
    }

    public static NotCacheableReason Reason(params string[] arguments) =>
        NotCacheable(CompilerFamily.Gcc, "/nonexistent-wd", arguments).Reason;

    public static NotCacheableReason ClangReason(params string[] arguments) =>
        NotCacheable(CompilerFamily.Clang, "/nonexistent-wd", arguments).Reason;
}
