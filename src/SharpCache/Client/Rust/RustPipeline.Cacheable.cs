using System.Diagnostics;
using System.Text;
using SharpCache.Core.Compilers.Rust;
using SharpCache.Core.Entries;
using SharpCache.Core.Processes;
using SharpCache.Client.Storage;
using SharpCache.Protocol;
using SharpCache.Storage;
using SharpCache.Storage.Disk;

namespace SharpCache.Client.Rust;

/// <summary>The cacheable flow: direct key → manifest → result key → restore; or compile, read the dep-info, store.</summary>
internal sealed partial class RustPipeline
{
    private (int ExitCode, CompileRecord Record) RunCacheable(string executable, string[] arguments, RustCompileContext context)
    {
        var stopwatch = Stopwatch.StartNew();
        var storage = CacheStores.Open(_options);
        var directRecipe = RustKeys.Direct(context);
        if (context.Compilation.LinksWithSystemLinker)
        {
            RustLinkInputs.Add(directRecipe, context, _runner, Path.Combine(_options.CacheDirectory, "compilers"));
        }

        var directKey = directRecipe.ComputeKey();
        var subject = RustExplain.Subject(context);
        var identity = RustExplain.Identity(context);
        var readError = false;
        if (_options.Recache)
        {
            _explain.Report(subject, "miss: SCCACHE_RECACHE forces a recompile");
        }
        else
        {
            var manifest = ReadManifest(storage, directKey, ref readError);
            var change = manifest?.FindChange(context);
            if (manifest is not null && change is null)
            {
                var resultKey = manifest.ResultRecipe(directRecipe).ComputeKey();
                var restored = TryRestore(storage, resultKey, context);
                if (restored == RestoreOutcome.Restored)
                {
                    _explain.Report(subject, "hit");
                    return (0, new CompileRecord
                    {
                        Outcome = CompileOutcome.CacheHit,
                        Language = Language,
                        AdvancedLabel = AdvancedLabel,
                        ReadHitMicros = (long)stopwatch.Elapsed.TotalMicroseconds,
                    });
                }

                readError |= restored == RestoreOutcome.Error;
                _explain.Report(subject, "miss: same key inputs and sources as the stored compile (its output entry was evicted, removed or unreadable)");
            }
            else if (change is not null)
            {
                Diagnostics.Write($"rust {context.Compilation.CrateName}: miss: {change}");
                _explain.Report(subject, "miss: " + change);
            }
            else if (_explain.Enabled)
            {
                _explain.Report(subject, _explain.DescribeMiss(identity, directRecipe));
            }
        }

        // Miss: compile once. cargo always asks for dep-info, which names what to hash; a bare
        // rustc call without it gets a dep-info-only run first, and so does a compile for the
        // cluster (the sources must be known before it is sent).
        var startedUtc = DateTime.UtcNow;
        string? depInfoText = null;
        string? tempDir = null;
        var distWanted = _options.Dist?.SchedulerAddress is not null && RustDistPlan.IsDistributable(context.Compilation);
        var distDaemonFailed = false;
        try
        {
            if (!context.Compilation.EmitDepInfo || distWanted)
            {
                tempDir = Path.Combine(Path.GetTempPath(), "sharpcache-rust-" + Guid.NewGuid().ToString("N")[..12]);
                Directory.CreateDirectory(tempDir);
                var depArguments = new List<string>(context.Compilation.ArgumentsWithoutEmit) { "--emit=dep-info", "--out-dir", tempDir };
                var depRun = _runner.RunCaptured(executable, depArguments, context.WorkingDirectory);
                var depFile = Path.Combine(tempDir, context.Compilation.CrateName + context.Compilation.ExtraFilename + ".d");
                depInfoText = depRun.ExitCode == 0 && File.Exists(depFile) ? File.ReadAllText(depFile) : null;
            }

            long compileMicros = 0;
            var result = (distWanted && depInfoText is not null ? TryRunDistributed(executable, arguments, context, depInfoText, ref distDaemonFailed, out compileMicros) : null)
                ?? RunCapturedAndForward(executable, arguments, context.WorkingDirectory, out compileMicros);
            if (result.ExitCode != 0)
            {
                return (result.ExitCode, new CompileRecord
                {
                    Outcome = CompileOutcome.CompileFailed,
                    Language = Language,
                    AdvancedLabel = AdvancedLabel,
                    CacheReadError = readError,
                    DistError = distDaemonFailed,
                    CompileMicros = compileMicros,
                });
            }

            if (context.Compilation.EmitDepInfo)
            {
                var depFile = Path.Combine(context.OutDir, context.Compilation.CrateName + context.Compilation.ExtraFilename + ".d");
                depInfoText = File.Exists(depFile) ? File.ReadAllText(depFile) : null;
            }

            var writeWatch = Stopwatch.StartNew();
            var stored = Store(storage, directKey, directRecipe, context, result, depInfoText, startedUtc);
            if (stored == StoreOutcome.Stored)
            {
                _explain.Record(identity, directRecipe);
            }
            return (0, new CompileRecord
            {
                Outcome = CompileOutcome.CacheMiss,
                Language = Language,
                AdvancedLabel = AdvancedLabel,
                CacheReadError = readError,
                CacheWritten = stored == StoreOutcome.Stored,
                CacheWriteError = stored == StoreOutcome.Failed,
                ForcedRecache = _options.Recache,
                DistError = distDaemonFailed,
                CompileMicros = compileMicros,
                WriteMicros = (long)writeWatch.Elapsed.TotalMicroseconds,
            });
        }
        finally
        {
            if (tempDir is not null)
            {
                try
                {
                    Directory.Delete(tempDir, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
    }

    private static RustManifest? ReadManifest(ICacheStore storage, CacheKey directKey, ref bool readError)
    {
        switch (storage.Get(directKey))
        {
            case StorageReadResult.Hit hit:
                if (EntryCodec.Decode(hit.Data) is EntryDecodeResult.Ok ok && ok.Entry.Files.Count == 1 && ok.Entry.Files[0].Name == RustManifest.FileName
                    && RustManifest.Parse(Encoding.UTF8.GetString(ok.Entry.Files[0].Content.Span)) is { } manifest)
                {
                    return manifest;
                }

                Diagnostics.Write($"corrupt rust manifest {directKey}: removed");
                storage.Remove(directKey);
                readError = true;
                return null;
            case StorageReadResult.Error error:
                Diagnostics.Write($"cache read error for {directKey}: {error.Reason}");
                readError = true;
                return null;
            default:
                return null;
        }
    }

    private static RestoreOutcome TryRestore(ICacheStore storage, CacheKey key, RustCompileContext context)
    {
        var read = storage.Get(key);
        if (read is StorageReadResult.Error error)
        {
            Diagnostics.Write($"cache read error for {key}: {error.Reason}");
            return RestoreOutcome.Error;
        }

        if (read is not StorageReadResult.Hit hit)
        {
            return RestoreOutcome.Miss;
        }

        if (EntryCodec.Decode(hit.Data) is not EntryDecodeResult.Ok ok)
        {
            Diagnostics.Write($"corrupt cache entry {key}: removed");
            storage.Remove(key);
            return RestoreOutcome.Error;
        }

        // Every output must be in the entry before anything is written.
        var entry = ok.Entry;
        var plan = new List<(string Path, EntryFile File)>(4);
        foreach (var name in RustOutputNames.For(context.Compilation))
        {
            var file = entry.Files.FirstOrDefault(f => f.Name == name);
            if (file is null)
            {
                return RestoreOutcome.Miss;
            }

            plan.Add((Path.Combine(context.OutDir, name), file));
        }

        try
        {
            // rustc creates its --out-dir; so does a restore.
            Directory.CreateDirectory(context.OutDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return RestoreOutcome.Miss;
        }

        foreach (var (path, file) in plan)
        {
            var content = file.Name.EndsWith(".d", StringComparison.Ordinal) ? RustOutputText.FromStored(file.Content.ToArray(), context) : file.Content.ToArray();
            if (!AtomicFile.TryWrite(path, content, file.UnixMode))
            {
                return RestoreOutcome.Miss;
            }
        }

        OutputReplay.Write(RustOutputText.FromStored(entry.Stdout.ToArray(), context), RustOutputText.FromStored(entry.Stderr.ToArray(), context));
        return RestoreOutcome.Restored;
    }
}
