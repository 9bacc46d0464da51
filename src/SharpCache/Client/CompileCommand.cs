using SharpCache.Configuration;

namespace SharpCache.Client;

/// <summary>Wraps one compiler invocation: <c>sharpcache &lt;compiler&gt; &lt;args&gt;</c>.</summary>
internal static class CompileCommand
{
    /// <summary><paramref name="args"/>[0] is the compiler (name on PATH or a path), the rest its arguments.</summary>
    public static int Run(string[] args, SharpCacheOptions options)
    {
        _ = args;
        _ = options;
        return 2;
    }

    /// <summary>Called through a symlink named <paramref name="compilerName"/>: find the next real compiler on PATH.</summary>
    public static int RunMasquerading(string compilerName, string[] args, SharpCacheOptions options)
    {
        _ = compilerName;
        _ = args;
        _ = options;
        return 2;
    }
}
