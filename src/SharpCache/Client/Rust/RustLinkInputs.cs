using SharpCache.Core.Compilers.Detection;
using SharpCache.Core.Compilers.Rust;
using SharpCache.Core.Hashing;
using SharpCache.Core.Processes;

namespace SharpCache.Client.Rust;

/// <summary>
/// What the system linker reads besides rustc's own outputs, for the compiles that link
/// (<see cref="RustCompilation.LinksWithSystemLinker"/>: executables, build scripts,
/// proc-macros, dylibs). The key adds:
/// <list type="bullet">
/// <item>the linker driver (<c>-C linker=</c>, else <c>cc</c> on PATH): resolved path's digest
/// and version, memoised by the C compiler detector; and <c>ld</c> on PATH by digest (rust-lld,
/// the x86_64 default since 1.90, is in the rustc identity's sysroot digest);</item>
/// <item>every static or shared library and object file directly inside a non-system
/// <c>-L native=</c>/<c>-L all=</c>/<c>-L</c> directory, by name and digest (cargo passes the
/// <c>OUT_DIR</c> link-search paths of all transitive build scripts to the final link, so
/// native code bundled deep in the graph is covered); libraries in system directories
/// (<c>/usr</c>, <c>/lib</c>) are represented by the linker identity, as with C compiles;</item>
/// <item>the environment variables the gcc/clang driver and ld read (<c>LIBRARY_PATH</c> ...).</item>
/// </list>
/// Transitive rlibs found through <c>-L dependency=</c> are not listed: each <c>--extern</c>
/// rlib embeds the crate hash (SVH) of all its dependencies, so any change below a direct
/// dependency changes that dependency's digest, which is already in the key.
/// </summary>
internal static class RustLinkInputs
{
    private static readonly string[] LinkerEnvironment = ["LIBRARY_PATH", "LD_RUN_PATH", "GCC_EXEC_PREFIX", "COMPILER_PATH", "LD_LIBRARY_PATH"];

    public static void Add(KeyRecipe recipe, RustCompileContext context, IProcessRunner runner, string memoDirectory)
    {
        var compilation = context.Compilation;
        var cwd = context.WorkingDirectory;
        var linkerName = compilation.Linker ?? "cc";
        recipe.Add("linker", Path.GetFileName(linkerName) + " " + DescribeExecutable(linkerName, cwd, runner, memoDirectory));
        recipe.Add("ld", DescribeFile(CompilerLocator.Find("ld", cwd)));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in compilation.NativeSearchDirs)
        {
            var full = Path.GetFullPath(directory, cwd);
            if (IsSystemDirectory(full) || !seen.Add(full) || !Directory.Exists(full))
            {
                continue;
            }

            string[] files;
            try
            {
                files = Directory.GetFiles(full);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                recipe.Add("native-lib", "unreadable directory");
                continue;
            }

            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                var name = Path.GetFileName(file);
                if (IsLinkerInput(name))
                {
                    recipe.Add("native-lib", name + " " + DescribeFile(file));
                }
            }
        }

        foreach (var name in LinkerEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                recipe.Add("link-env", name + "=" + context.Mapper.Map(value));
            }
        }
    }

    /// <summary>lib*.a, lib*.so, lib*.so.N, *.o, *.rlib: what a linker picks up from a search directory.</summary>
    public static bool IsLinkerInput(string name) =>
        name.EndsWith(".a", StringComparison.Ordinal) || name.EndsWith(".o", StringComparison.Ordinal)
        || name.EndsWith(".rlib", StringComparison.Ordinal) || name.EndsWith(".so", StringComparison.Ordinal)
        || name.Contains(".so.", StringComparison.Ordinal);

    private static bool IsSystemDirectory(string path) =>
        path.StartsWith("/usr/", StringComparison.Ordinal) || path.StartsWith("/lib", StringComparison.Ordinal)
        || path is "/usr" or "/lib" or "/lib64";

    private static string DescribeExecutable(string nameOrPath, string cwd, IProcessRunner runner, string memoDirectory)
    {
        var path = CompilerLocator.Find(nameOrPath, cwd);
        if (path is null)
        {
            return "not found";
        }

        // gcc/clang drivers: version and digest, memoised per executable stamp.
        var identity = new CompilerDetector(runner, memoDirectory).Detect(path, cwd);
        return identity is not null ? identity.FamilyName + " " + identity.Version + " " + identity.Digest : DescribeFile(path);
    }

    private static string DescribeFile(string? path)
    {
        if (path is null)
        {
            return "not found";
        }

        try
        {
            return File.Exists(path) ? KeyHasher.HashFile(path) : "not found";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unreadable";
        }
    }
}
