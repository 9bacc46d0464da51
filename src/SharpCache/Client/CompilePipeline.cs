using System.Diagnostics;
using SharpCache.Configuration;
using SharpCache.Core.Compilers;
using SharpCache.Core.Compilers.Detection;
using SharpCache.Core.Processes;
using SharpCache.Daemon;
using SharpCache.Protocol;
using SharpCache.Storage.Disk;

namespace SharpCache.Client;

/// <summary>
/// One wrapped compile, end to end, in the client process: detect the compiler, classify the
/// arguments, compute the key, restore a hit or run the compiler and store the result.
/// Invariant: whatever fails inside SharpCache, the user's compile still runs exactly once with
/// its own arguments, and its exit code, stdout and stderr are what the user sees.
/// </summary>
internal sealed partial class CompilePipeline
{
    private readonly SharpCacheOptions _options;
    private readonly IProcessRunner _runner;
    private readonly CompilerProcess _compiler;
    private readonly Explain _explain;

    public CompilePipeline(SharpCacheOptions options, IProcessRunner runner)
    {
        _options = options;
        _runner = runner;
        _compiler = new CompilerProcess(runner);
        _explain = new Explain(options.CacheDirectory, options.Explain) { ForcedRecompiles = options.Recache };
    }

    public int Run(string executable, string[] arguments, string workingDirectory) =>
        _compiler.Guard(_options, executable, arguments, workingDirectory, new CompileRecord { Outcome = CompileOutcome.CacheError, Language = "C/C++" }, () => RunCore(executable, arguments, workingDirectory));

    private (int ExitCode, CompileRecord Record) RunCore(string executable, string[] arguments, string cwd)
    {
        var detector = new CompilerDetector(_runner, Path.Combine(_options.CacheDirectory, "compilers"));
        var compiler = detector.Detect(executable, cwd);
        if (compiler is null)
        {
            return (RunDirect(executable, arguments, cwd), new CompileRecord { Outcome = CompileOutcome.UnsupportedCompiler });
        }

        var parse = GccArgumentParser.Parse(arguments, compiler.Family, cwd);
        if (parse is ArgumentParseResult.NotCacheable notCacheable)
        {
            var outcome = notCacheable.Reason == NotCacheableReason.NotCompilation ? CompileOutcome.NotCompile : CompileOutcome.NotCacheable;
            return (RunDirect(executable, arguments, cwd), new CompileRecord
            {
                Outcome = outcome,
                Language = "C/C++",
                NotCacheableReason = outcome == CompileOutcome.NotCacheable ? NotCacheableReasonNames.Get(notCacheable.Reason) : null,
            });
        }

        var compilation = ((ArgumentParseResult.Cacheable)parse).Compilation;
        var labels = StatsLabels.For(compilation.Language, compiler);
        if (_options.NoCache)
        {
            return (RunDirect(executable, arguments, cwd), new CompileRecord
            {
                Outcome = CompileOutcome.NotCacheable,
                Language = labels.Category,
                NotCacheableReason = "SCCACHE_NO_CACHE",
            });
        }

        if (OutputRoles.WritesToDevice(compilation))
        {
            return (RunDirect(executable, arguments, cwd), new CompileRecord
            {
                Outcome = CompileOutcome.NotCacheable,
                Language = labels.Category,
                NotCacheableReason = "output to a device",
            });
        }

        if (PrecompiledHeaders.UsedBy(arguments, cwd) is { } pch)
        {
            // gcc silently prefers X.gch to X for -include X; the preprocessor never reads the
            // .gch, so neither key would see it change.
            return (RunDirect(executable, arguments, cwd), new CompileRecord
            {
                Outcome = CompileOutcome.NotCacheable,
                Language = labels.Category,
                NotCacheableReason = "precompiled header used: " + Path.GetFileName(pch),
            });
        }

        var mapper = BasedirMapper.ForCompile(_options.Basedirs, cwd, compilation, arguments);
        var context = new CompileContext(compiler, compilation, arguments, cwd, mapper);
        try
        {
            return RunCacheable(executable, arguments, context, labels);
        }
        finally
        {
            // A compile that did not go to the cluster after all (a hit after preprocessing, an error): the daemon gives its job to the next one.
            _distSession?.Dispose();
        }
    }

    private int RunDirect(string executable, string[] arguments, string cwd) => _compiler.RunInherited(executable, arguments, cwd);

    private ProcessResult RunCapturedAndForward(string executable, string[] arguments, string cwd, out long micros) =>
        _compiler.RunTee(executable, arguments, cwd, out micros);
}
