using System.Diagnostics;
using SharpCache.Configuration;
using SharpCache.Core.Compilers.Rust;
using SharpCache.Core.Processes;
using SharpCache.Daemon;
using SharpCache.Protocol;

namespace SharpCache.Client.Rust;

/// <summary>
/// One wrapped rustc call (cargo's <c>RUSTC_WRAPPER=sharpcache</c>), end to end in the client:
/// probes pass straight through, cacheable compiles are looked up by direct key and manifest
/// (no rustc run on a hit), and misses compile once and store their outputs, using the
/// dep-info cargo asks for anyway. Same invariant as the C/C++ pipeline: whatever fails inside
/// SharpCache, the user's rustc runs exactly once with its own arguments and its exit code and
/// output reach the caller.
/// </summary>
internal sealed partial class RustPipeline
{
    private const string Language = "Rust";
    private const string AdvancedLabel = "rust";

    private readonly SharpCacheOptions _options;
    private readonly IProcessRunner _runner;
    private readonly CompilerProcess _compiler;
    private readonly RustExplain _explain;

    public RustPipeline(SharpCacheOptions options, IProcessRunner runner)
    {
        _options = options;
        _runner = runner;
        _compiler = new CompilerProcess(runner);
        _explain = new RustExplain(options.CacheDirectory, options.Explain);
    }

    public int Run(string executable, string[] arguments, string workingDirectory) =>
        _compiler.Guard(_options, executable, arguments, workingDirectory, new CompileRecord { Outcome = CompileOutcome.CacheError, Language = Language, AdvancedLabel = AdvancedLabel }, () => RunCore(executable, arguments, workingDirectory));

    private (int ExitCode, CompileRecord Record) RunCore(string executable, string[] arguments, string cwd)
    {
        var parse = RustArgumentParser.Parse(arguments, cwd);
        switch (parse)
        {
            case RustParseResult.Probe:
                return (RunDirect(executable, arguments, cwd), new CompileRecord { Outcome = CompileOutcome.NotCompile, Language = Language });
            case RustParseResult.NotCacheable notCacheable:
                return NotCacheable(executable, arguments, cwd, notCacheable.Reason);
            default:
                break;
        }

        var compilation = ((RustParseResult.Cacheable)parse).Compilation;
        if (Environment.GetEnvironmentVariable("CARGO_INCREMENTAL") == "1" || Environment.GetEnvironmentVariable("CARGO_BUILD_INCREMENTAL") == "1")
        {
            // sccache refuses to run at all; we run the compile uncached.
            return NotCacheable(executable, arguments, cwd, "incremental compilation");
        }

        if (_options.NoCache)
        {
            return NotCacheable(executable, arguments, cwd, "SCCACHE_NO_CACHE");
        }

        var rustc = new RustcDetector(_runner, Path.Combine(_options.CacheDirectory, "compilers")).Detect(executable, cwd);
        if (rustc is null)
        {
            return (RunDirect(executable, arguments, cwd), new CompileRecord { Outcome = CompileOutcome.UnsupportedCompiler, Language = Language });
        }

        var outDir = Path.GetFullPath(compilation.OutDir, cwd);
        var context = new RustCompileContext(rustc, compilation, cwd, MapperFor(compilation, cwd, outDir), outDir);
        return RunCacheable(executable, arguments, context);
    }

    /// <summary>
    /// The base directory holding the working directory (a workspace member) or else the output
    /// directory (a registry crate built into this checkout's target). Objects with debug info
    /// embed absolute paths, so base directories apply to them only when a
    /// <c>--remap-path-prefix</c> rewrites the base directory away.
    /// </summary>
    private BasedirMapper MapperFor(RustCompilation compilation, string cwd, string outDir)
    {
        if (_options.Basedirs.Count == 0)
        {
            return BasedirMapper.Inactive;
        }

        var mapper = BasedirMapper.For(_options.Basedirs, cwd);
        if (!mapper.IsActive)
        {
            mapper = BasedirMapper.For(_options.Basedirs, outDir);
        }

        if (!mapper.IsActive || !compilation.HasDebugInfo)
        {
            return mapper;
        }

        foreach (var prefix in compilation.RemappedPrefixes)
        {
            var from = Path.TrimEndingDirectorySeparator(prefix);
            if (from.Length > 0 && (mapper.Basedir! == from || mapper.Basedir!.StartsWith(from + "/", StringComparison.Ordinal)))
            {
                return mapper;
            }
        }

        return BasedirMapper.Inactive;
    }

    private (int ExitCode, CompileRecord Record) NotCacheable(string executable, string[] arguments, string cwd, string reason)
    {
        if (_explain.Enabled)
        {
            var name = Array.IndexOf(arguments, "--crate-name");
            _explain.Report("rust crate " + (name >= 0 && name + 1 < arguments.Length ? arguments[name + 1] : "?"), "not cacheable: " + reason);
        }

        return (RunDirect(executable, arguments, cwd), new CompileRecord
        {
            Outcome = CompileOutcome.NotCacheable,
            Language = Language,
            AdvancedLabel = AdvancedLabel,
            NotCacheableReason = reason,
        });
    }

    private int RunDirect(string executable, string[] arguments, string cwd) => _compiler.RunInherited(executable, arguments, cwd);

    private ProcessResult RunCapturedAndForward(string executable, string[] arguments, string cwd, out long micros) =>
        _compiler.RunTee(executable, arguments, cwd, out micros);
}
