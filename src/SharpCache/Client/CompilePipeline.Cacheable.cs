using System.Diagnostics;
using System.Text;
using SharpCache.Core.Direct;
using SharpCache.Core.Processes;
using SharpCache.Client.Storage;
using SharpCache.Protocol;
using SharpCache.Storage;
using SharpCache.Storage.Disk;

namespace SharpCache.Client;

/// <summary>
/// The cacheable flow: direct-mode lookup (no preprocessor), then depend mode or the preprocessor
/// and the result key, then compile and store. Each step that cannot answer falls through to the next.
/// </summary>
internal sealed partial class CompilePipeline
{
    private (int ExitCode, CompileRecord Record) RunCacheable(string executable, string[] arguments, CompileContext context, StatsLabels labels)
    {
        var compilation = context.Compilation;
        var cwd = context.WorkingDirectory;
        var subject = compilation.InputFile + " -> " + compilation.OutputFile;
        var sourceIdentity = context.Mapper.Map(Path.GetFullPath(compilation.InputFile, cwd));
        var storage = CacheStores.Open(_options);
        var stopwatch = Stopwatch.StartNew();
        var readError = false;

        // 1. Direct mode: compiler, arguments and the source's digest lead to a manifest that
        //    names the result, as long as every header it lists is unchanged.
        var direct = _options.DirectMode && compilation.PreprocessArguments is not null;
        KeyRecipe? directRecipe = null;
        CacheKey directKey = default;
        Manifest? manifest = null;
        string? directMiss = null;
        if (direct)
        {
            directRecipe = CacheKeyBuilder.DirectRecipe(context);
            directKey = directRecipe.ComputeKey();
            if (!_options.Recache)
            {
                var lookup = DirectLookup(storage, directKey, directRecipe, context, out manifest, out directMiss);
                if (lookup == RestoreOutcome.Restored)
                {
                    _explain.Report(subject, "hit (direct mode)");
                    return (0, HitRecord(labels, stopwatch));
                }

                readError |= lookup == RestoreOutcome.Error;
            }
        }

        // Only a miss needs to know whether it goes to the cluster: not on the direct-mode hit path.
        var distPlan = DistPlan.For(_options, context);

        // 2. Depend mode: the build asked for a full depfile, so the compile itself says which
        //    headers it read; no preprocessor run at all.
        if (direct && _options.DependMode && !_options.Recache && distPlan is null && WantsFullDepfile(compilation))
        {
            ExplainMiss(subject, sourceIdentity, directRecipe!, directMiss);
            return RunDependMode(executable, arguments, context, labels, storage, directKey, directRecipe!, manifest, sourceIdentity, readError);
        }

        // 3. The preprocessor: its output (and with direct mode, its include list) gives the result key.
        var startedUtc = DateTime.UtcNow;
        DistFrame? distFrame = null;
        StorageReadResult? earlyRead = null; // the result's lookup, made at the text's end for a compile going to the cluster
        KeyRecipe recipe;
        LinemarkerParser? includes = null;
        var textNamesBasedir = false;
        IReadOnlyList<string> searchPath = [];
        if (compilation.PreprocessArguments is null)
        {
            recipe = CacheKeyBuilder.UnpreprocessedResultRecipe(context);
        }
        else
        {
            includes = direct ? new LinemarkerParser() : null;
            var pchScan = includes is null ? null : new PrecompiledHeaders.SiblingScan(cwd);
            Action<ReadOnlySpan<byte>>? observer = includes is null ? null : chunk =>
            {
                includes.Feed(chunk);
                pchScan!.CheckNew(includes.Files);
            };
            if (distPlan is not null)
            {
                // The build server compiles this very text; the depfile is written by this run.
                var frame = distFrame = StartDistFrame(distPlan, context, executable);
                var scan = observer;
                observer = scan is null ? frame.AppendText : chunk =>
                {
                    frame.AppendText(chunk);
                    scan(chunk);
                };
            }

            IReadOnlyList<string> extra = direct ? ["-v"] : [];
            if (distPlan is not null)
            {
                extra = [.. extra, .. distPlan.PreprocessExtra];
            }

            // The text's last piece goes ahead to the daemon (and on to the build server) at its end, while the preprocessor
            // tears down (its exit is reaped 0.5-1.5 ms after its last write); with it, on a miss, the other inputs, so that the
            // build server has the whole job before the exit status is known (EndTextEarly).
            Action<string>? onTextEnd = null;
            if (distFrame is not null)
            {
                var (frame, plan, scan) = (distFrame, distPlan!, pchScan);
                onTextEnd = digest =>
                {
                    frame.SendPendingText();
                    earlyRead = EndTextEarly(plan, context, storage, digest, includes, scan);
                };
            }

            var preprocessed = PreprocessorRun.Execute(context, _runner, extra, observer, _options.CacheDirectory, onTextEnd);
            if (preprocessed.ExitCode != 0)
            {
                // The real compile reports the user's error with its own diagnostics and exit code.
                var failed = RunCapturedAndForward(executable, arguments, cwd, out var micros);
                _explain.Report(subject, "preprocessor failed; compiled without the cache");
                distFrame?.Dispose();
                return (failed.ExitCode, new CompileRecord
                {
                    Outcome = failed.ExitCode == 0 ? CompileOutcome.CacheError : CompileOutcome.CompileFailed,
                    Language = labels.Category,
                    AdvancedLabel = labels.Advanced,
                    CompileMicros = micros,
                });
            }

            includes?.Complete();
            pchScan?.CheckNew(includes!.Files);
            if (pchScan?.Found is { } pch)
            {
                // An #include'd header with a .gch beside it: gcc compiles from the .gch.
                var run = RunCapturedAndForward(executable, arguments, cwd, out var pchMicros);
                _explain.Report(subject, "not cacheable: precompiled header " + pch);
                distFrame?.Dispose();
                return (run.ExitCode, new CompileRecord
                {
                    Outcome = CompileOutcome.NotCacheable,
                    Language = labels.Category,
                    NotCacheableReason = "precompiled header used: " + Path.GetFileName(pch),
                    CompileMicros = pchMicros,
                });
            }

            if (direct)
            {
                searchPath = IncludeSearchPath.Parse(Encoding.UTF8.GetString(preprocessed.Stderr));
            }

            textNamesBasedir = preprocessed.BasedirOutsideLinemarkers;
            recipe = CacheKeyBuilder.ResultRecipe(context, preprocessed.Digest);
        }

        var resultKey = recipe.ComputeKey();
        if (!_options.Recache)
        {
            switch (TryRestore(storage, resultKey, context, earlyRead))
            {
                case RestoreOutcome.Restored:
                    _explain.Report(subject, "hit (preprocessor mode)");
                    if (includes is not null)
                    {
                        // Next time, find it without the preprocessor.
                        RecordManifest(storage, directKey, directRecipe!, textNamesBasedir, manifest, includes.Files, searchPath, context, startedUtc, resultKey);
                    }

                    distFrame?.Dispose();
                    return (0, HitRecord(labels, stopwatch));
                case RestoreOutcome.Error:
                    readError = true;
                    break;
                case RestoreOutcome.Miss:
                default:
                    break;
            }
        }

        if (_options.Recache)
        {
            _explain.Report(subject, "miss: SCCACHE_RECACHE forces a recompile");
        }
        else
        {
            ExplainMiss(subject, sourceIdentity, directRecipe ?? recipe, directMiss);
        }

        // 4. Compile (on the cluster when configured; locally when it cannot) and store. While a remote compile
        //    runs, this process only waits: the direct-mode entry (every include hashed) is built meanwhile.
        long compileMicros = 0;
        Task<EarlyManifest>? manifestEntry = null;
        Action? whileRemote = null;

        // A remote compile's entry may be written by the daemon, which has the outputs before this process: it stores them
        // while this process writes them out (DistStoreRequest), and puts how that went into this compile's stats record.
        var daemonStore = distPlan is not null && distFrame is not null ? DaemonStore(storage, context, distPlan, resultKey, startedUtc) : null;
        if (distPlan is not null && distFrame is not null && includes is not null)
        {
            // Done on this thread once the request is on its way, while the answer is awaited (this thread has nothing else
            // to do then; the answer waits in the socket). The manifest is merged and encoded there too; when the daemon is
            // to write the entry, the manifest and the explain record are written as well, before the answer is read (should
            // the compile then fail or its entry not be written, the manifest names a result that is not there: a later
            // lookup compiles, as for an evicted entry). It ran on a thread of its own: starting one cost ~0.1 ms of CPU and
            // this thread spun (sched_yield) until it ran, beside the daemon and the build server on a 2-core machine.
            var (files, path, key, recorded, checkoutSpecific, sideEarly) = (includes.Files, searchPath, resultKey, directRecipe!, textNamesBasedir, daemonStore is not null);
            whileRemote = () => manifestEntry = Inline(() =>
            {
                var prepared = PrepareManifest(BuildManifestEntry(files, path, context, startedUtc, key), directKey, recorded, checkoutSpecific, manifest, context, key);
                if (!sideEarly)
                {
                    return prepared;
                }

                _explain.Record(sourceIdentity, recorded);
                WriteManifest(storage, prepared, context);
                return prepared with { Written = true };
            });
        }

        var storePending = false;
        var result = (distPlan is not null && distFrame is not null
                ? TryRunDistributed(distPlan, distFrame, daemonStore, whileRemote, out compileMicros, out storePending)
                : null)
            ?? RunCapturedAndForward(executable, arguments, cwd, out compileMicros);
        distFrame?.Dispose();
        if (result.ExitCode != 0)
        {
            _ = EarlyEntry(manifestEntry); // its writes end before this process does
            return (result.ExitCode, FailedRecord(labels, readError, compileMicros));
        }

        // The explain record and the direct-mode manifest are written beside the entry: on a thread of their own, or on
        // this one while the daemon writes the entry. After a distributed compile's answer these writes were most of the
        // client's time. Should the entry's
        // write then fail (or the entry be too large), the manifest names a result that is not there: a later
        // lookup finds no entry and compiles, as for an evicted one.
        bool RecordSide(CacheKey finalKey, bool checkoutSpecific)
        {
            _explain.Record(sourceIdentity, directRecipe ?? recipe);
            if (includes is not null)
            {
                RecordManifest(storage, directKey, directRecipe!, checkoutSpecific, manifest, includes.Files, searchPath, context, startedUtc, finalKey, manifestEntry);
            }

            return true;
        }

        var writeWatch = Stopwatch.StartNew();
        if (storePending)
        {
            // The daemon writes the entry meanwhile and completes the stats record sent after it on the same connection. The
            // side writes were done during the remote compile, or are done here if that thread could not.
            if (EarlyEntry(manifestEntry) is not { Written: true })
            {
                RecordSide(resultKey, textNamesBasedir);
            }

            return (0, DaemonStoredRecord(MissRecord(labels, readError, StoreOutcome.Skipped, compileMicros, 0)));
        }

        var stored = TryCollect(context, result, startedUtc, out var entry, out var embedsBasedir);
        if (stored == StoreOutcome.Stored)
        {
            if (embedsBasedir && !textNamesBasedir && context.Mapper.IsActive)
            {
                // The text was the same in every checkout but the outputs name this one (debug info):
                // file the result under this checkout's own key.
                recipe.Add("basedir-literal", context.Mapper.Basedir!);
                resultKey = recipe.ComputeKey();
            }

            var (sideKey, checkoutSpecific) = (resultKey, textNamesBasedir || embedsBasedir);
            var sideWrites = OnOwnThread(() => RecordSide(sideKey, checkoutSpecific));
            stored = StoreEntry(storage, resultKey, entry!);
            sideWrites.GetAwaiter().GetResult();
        }

        return (0, MissRecord(labels, readError, stored, compileMicros, (long)writeWatch.Elapsed.TotalMicroseconds));
    }

    private (int ExitCode, CompileRecord Record) RunDependMode(
        string executable,
        string[] arguments,
        CompileContext context,
        StatsLabels labels,
        ICacheStore storage,
        CacheKey directKey,
        KeyRecipe directRecipe,
        Manifest? manifest,
        string sourceIdentity,
        bool readError)
    {
        var startedUtc = DateTime.UtcNow;
        var result = RunCapturedAndForward(executable, arguments, context.WorkingDirectory, out var compileMicros);
        if (result.ExitCode != 0)
        {
            return (result.ExitCode, FailedRecord(labels, readError, compileMicros));
        }

        var writeWatch = Stopwatch.StartNew();
        var stored = TryStoreDepend(storage, directKey, directRecipe, manifest, context, result, startedUtc);
        if (stored == StoreOutcome.Stored)
        {
            _explain.Record(sourceIdentity, directRecipe);
        }

        return (0, MissRecord(labels, readError, stored, compileMicros, (long)writeWatch.Elapsed.TotalMicroseconds));
    }

    private void ExplainMiss(string subject, string sourceIdentity, KeyRecipe recipe, string? directMiss)
    {
        if (!_explain.Enabled)
        {
            return;
        }

        _explain.Report(subject, directMiss is not null ? "miss: " + directMiss : _explain.DescribeMiss(sourceIdentity, recipe));
    }

    /// <summary><c>-MD</c> (all headers, system ones too). <c>-MMD</c> leaves system headers out, so it cannot vouch for them.</summary>
    private static bool WantsFullDepfile(Core.Compilers.ParsedCompilation compilation)
    {
        if (compilation.DepFile is null)
        {
            return false;
        }

        var full = false;
        foreach (var argument in compilation.HashedArguments)
        {
            if (argument is "-MMD" || argument.StartsWith("-Wp,-MMD", StringComparison.Ordinal))
            {
                return false;
            }

            full |= argument is "-MD" || argument.StartsWith("-Wp,-MD", StringComparison.Ordinal);
        }

        return full;
    }

    private static CompileRecord HitRecord(StatsLabels labels, Stopwatch stopwatch) => new()
    {
        Outcome = CompileOutcome.CacheHit,
        Language = labels.Category,
        AdvancedLabel = labels.Advanced,
        ReadHitMicros = (long)stopwatch.Elapsed.TotalMicroseconds,
    };

    private static CompileRecord FailedRecord(StatsLabels labels, bool readError, long compileMicros) => new()
    {
        Outcome = CompileOutcome.CompileFailed,
        Language = labels.Category,
        AdvancedLabel = labels.Advanced,
        CacheReadError = readError,
        CompileMicros = compileMicros,
    };

    private CompileRecord MissRecord(StatsLabels labels, bool readError, StoreOutcome stored, long compileMicros, long writeMicros) => new()
    {
        Outcome = CompileOutcome.CacheMiss,
        Language = labels.Category,
        AdvancedLabel = labels.Advanced,
        CacheReadError = readError,
        CacheWritten = stored == StoreOutcome.Stored,
        CacheWriteError = stored == StoreOutcome.Failed,
        ForcedRecache = _options.Recache,
        DistError = _distDaemonFailed,
        CompileMicros = compileMicros,
        WriteMicros = writeMicros,
    };
}
