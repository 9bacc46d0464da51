using SharpCache.Configuration;
using SharpCache.Core.Processes;

namespace SharpCache.Client;

/// <summary>Wraps one compiler invocation: <c>sharpcache &lt;compiler&gt; &lt;args&gt;</c>.</summary>
internal static class CompileCommand
{
    /// <summary><paramref name="args"/>[0] is the compiler (name on PATH or a path), the rest its arguments.</summary>
    public static int Run(string[] args, SharpCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(args);
        return RunCompiler(args[0], args.AsSpan(1).ToArray(), options);
    }

    /// <summary>Called through a symlink named <paramref name="compilerName"/>: find the next real compiler on PATH.</summary>
    public static int RunMasquerading(string compilerName, string[] args, SharpCacheOptions options) =>
        RunCompiler(compilerName, args, options);

    private static int RunCompiler(string compiler, string[] arguments, SharpCacheOptions options)
    {
        // A broken config never stops a build: say what is wrong, compile with the rest.
        foreach (var error in options.ConfigErrors)
        {
            Console.Error.WriteLine("sharpcache: warning: ignoring bad configuration: " + error);
        }

        var cwd = Directory.GetCurrentDirectory();
        var executable = CompilerLocator.Find(compiler, cwd);
        if (executable is null)
        {
            Console.Error.WriteLine($"sharpcache: error: cannot find compiler '{compiler}' on PATH (other than sharpcache itself)");
            return 2;
        }

        if (Core.Compilers.Rust.RustcDetector.LooksLikeRustc(executable))
        {
            // cargo's RUSTC_WRAPPER: `sharpcache rustc <args>` or `sharpcache /path/to/rustc <args>`.
            return new Rust.RustPipeline(options, ProcessRunner.Instance).Run(executable, arguments, cwd);
        }

        var pipeline = new CompilePipeline(options, ProcessRunner.Instance);
        return pipeline.Run(executable, arguments, cwd);
    }
}
