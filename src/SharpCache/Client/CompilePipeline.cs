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
    private bool _compilerStarted;
    private int? _compilerExitCode;
    private readonly Explain _explain;

    public CompilePipeline(SharpCacheOptions options, IProcessRunner runner)
    {
        _options = options;
        _runner = runner;
        _explain = new Explain(options.CacheDirectory, options.Explain);
    }

    public int Run(string executable, string[] arguments, string workingDirectory)
    {
        CompileRecord record;
        int exitCode;
        try
        {
            (exitCode, record) = RunCore(executable, arguments, workingDirectory);
        }
#pragma warning disable CA1031 // The wrapper must never break the build: any internal failure falls back to the plain compile.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diagnostics.Write($"internal error: {ex.GetType().Name}: {ex.Message}");
            record = new CompileRecord { Outcome = CompileOutcome.CacheError, Language = "C/C++" };
            if (_compilerStarted)
            {
                // The compile ran and its output was forwarded: its exit code stands.
                exitCode = _compilerExitCode ?? 2;
            }
            else
            {
                exitCode = _runner.RunInherited(executable, arguments, workingDirectory);
            }
        }

        DaemonClient.RecordCompile(_options, record);
        return exitCode;
    }

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

        var mapper = BasedirMapper.ForCompile(_options.Basedirs, cwd, compilation, arguments);
        var context = new CompileContext(compiler, compilation, arguments, cwd, mapper);
        var subject = compilation.InputFile + " -> " + compilation.OutputFile;
        var sourceIdentity = mapper.Map(Path.GetFullPath(compilation.InputFile, cwd));
        KeyRecipe recipe;
        if (compilation.PreprocessArguments is null)
        {
            recipe = CacheKeyBuilder.UnpreprocessedResultRecipe(context);
        }
        else
        {
            var preprocessed = PreprocessorRun.Execute(context, _runner, [], null);
            if (preprocessed.ExitCode != 0)
            {
                // The preprocessor failed: the real compile reports the user's error with its own
                // diagnostics and exit code (not the preprocessor's, which may differ).
                var failed = RunCapturedAndForward(executable, arguments, cwd, out var micros);
                _explain.Report(subject, "preprocessor failed; compiled without the cache");
                return (failed.ExitCode, new CompileRecord
                {
                    Outcome = failed.ExitCode == 0 ? CompileOutcome.CacheError : CompileOutcome.CompileFailed,
                    Language = labels.Category,
                    AdvancedLabel = labels.Advanced,
                    CompileMicros = micros,
                });
            }

            recipe = CacheKeyBuilder.ResultRecipe(context, preprocessed.Digest);
        }

        var resultKey = recipe.ComputeKey();
        var storage = new DiskStorage(_options.CacheDirectory, _options.MaxCacheSize);
        var readError = false;
        if (!_options.Recache)
        {
            var stopwatch = Stopwatch.StartNew();
            switch (TryRestore(storage, resultKey, context))
            {
                case RestoreOutcome.Restored:
                    _explain.Report(subject, "hit (preprocessor mode)");
                    return (0, new CompileRecord
                    {
                        Outcome = CompileOutcome.CacheHit,
                        Language = labels.Category,
                        AdvancedLabel = labels.Advanced,
                        ReadHitMicros = (long)stopwatch.Elapsed.TotalMicroseconds,
                    });
                case RestoreOutcome.Error:
                    readError = true;
                    break;
                case RestoreOutcome.Miss:
                default:
                    break;
            }
        }

        if (_explain.Enabled)
        {
            _explain.Report(subject, _options.Recache ? "miss: SCCACHE_RECACHE forces a recompile" : _explain.DescribeMiss(sourceIdentity, recipe));
        }

        var startedUtc = DateTime.UtcNow;
        var result = RunCapturedAndForward(executable, arguments, cwd, out var compileMicros);
        if (result.ExitCode != 0)
        {
            return (result.ExitCode, new CompileRecord
            {
                Outcome = CompileOutcome.CompileFailed,
                Language = labels.Category,
                AdvancedLabel = labels.Advanced,
                CacheReadError = readError,
                CompileMicros = compileMicros,
            });
        }

        var writeWatch = Stopwatch.StartNew();
        var stored = TryStore(storage, resultKey, context, result, startedUtc);
        if (stored)
        {
            _explain.Record(sourceIdentity, recipe);
        }

        return (0, new CompileRecord
        {
            Outcome = CompileOutcome.CacheMiss,
            Language = labels.Category,
            AdvancedLabel = labels.Advanced,
            CacheReadError = readError,
            CacheWritten = stored,
            CacheWriteError = !stored,
            ForcedRecache = _options.Recache,
            CompileMicros = compileMicros,
            WriteMicros = (long)writeWatch.Elapsed.TotalMicroseconds,
        });
    }

    private int RunDirect(string executable, string[] arguments, string cwd)
    {
        _compilerStarted = true;
        var exitCode = _runner.RunInherited(executable, arguments, cwd);
        _compilerExitCode = exitCode;
        return exitCode;
    }

    private ProcessResult RunCapturedAndForward(string executable, string[] arguments, string cwd, out long micros)
    {
        var stopwatch = Stopwatch.StartNew();
        _compilerStarted = true;
        var result = _runner.RunCaptured(executable, arguments, cwd);
        _compilerExitCode = result.ExitCode;
        micros = (long)stopwatch.Elapsed.TotalMicroseconds;
        OutputReplay.Write(result.Stdout, result.Stderr);
        return result;
    }
}
