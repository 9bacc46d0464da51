using System.Diagnostics;
using SharpCache.Core.Processes;
using SharpCache.Daemon;
using SharpCache.Protocol;
using SharpCache.Storage;
using SharpCache.Storage.Disk;

namespace SharpCache.Client;

/// <summary>A miss compiled on the build cluster through the daemon, or (on any failure there) not at all: the caller compiles locally.</summary>
internal sealed partial class CompilePipeline
{
    /// <summary>Set when the daemon could not be asked: the miss record then counts a dist error.</summary>
    private bool _distDaemonFailed;

    /// <summary>The connection the daemon was told on (before preprocessing) that a compile for the cluster follows.</summary>
    private DaemonSession? _distSession;

    /// <summary>Whether the daemon got the request's head with the prepare (it may send the job ahead, its text streaming after it).</summary>
    private bool _distSentAhead;

    /// <summary>Environment variables the remote compiler gets from ours (diagnostics language); the daemon sets <c>PATH</c>.</summary>
    private static readonly string[] ForwardedEnvironment = ["LANG", "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "GCC_COLORS", "TERM"];

    /// <summary>
    /// The frame the preprocessor's text streams into for <paramref name="plan"/>: the request's fields are known before
    /// the preprocessor runs; the text is its first input, the source (include-rewrite mode) and extra inputs follow.
    /// </summary>
    private DistFrame StartDistFrame(DistPlan plan, CompileContext context, string executable)
    {
        var environment = new List<KeyValuePair<string, string>>();
        foreach (var name in ForwardedEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment.Add(new(name, value));
            }
        }

        var head = new DistCompileRequest
        {
            CompilerPath = context.Compiler.ExecutablePath,
            InvokedAs = executable,
            WorkingDirectory = context.WorkingDirectory,
            Arguments = plan.RemoteArguments,
            Environment = environment,
            Inputs = [],
            Outputs = plan.Outputs,
            RequiredOutputs = plan.RequiredOutputs,
            RetryLocallyOnError = plan.RetryLocallyOnError,
        };
        _distSession?.Dispose();
        // With the head, the daemon sends the job to its build server at once and streams the text after it (SHARPCACHE_DIST_STREAM=0: not).
        var ahead = Switches.IsOff("SHARPCACHE_DIST_STREAM") ? null : head with { Inputs = [new(plan.InputPath, ReadOnlyMemory<byte>.Empty)] };
        _distSession = DaemonSession.TryPrepareDist(_options, context.Compiler.ExecutablePath, executable, ahead);
        _distSentAhead = ahead is not null && _distSession is not null;
        var frame = new DistFrame(head, 1 + (plan.SourcePath is null ? 0 : 1) + plan.ExtraInputs.Count, plan.InputPath);
        if (_distSession is { } session)
        {
            // The daemon gets the text as the preprocessor writes it; after the preprocessor, only the rest goes.
            frame.StreamTo(session.TrySendText);
        }

        return frame;
    }

    /// <summary>
    /// At the end of the preprocessor's text, before its exit is reaped (0.5-1.5 ms later): unless the compile will not go to the
    /// cluster after all (a precompiled header beside an include, a cached result), gives the daemon the compile's other
    /// inputs (<see cref="DaemonSession.TrySendTextEnd"/>), and the job sent ahead ends now: the build server compiles while
    /// this process waits for the exit. The result's lookup is made here for that (returned for the compile to use: made once).
    /// A preprocessor that then fails leaves that job to run unused, its answer dropped: nothing from it reaches this compile.
    /// Never throws (it runs inside the preprocessor's read loop).
    /// </summary>
    private StorageReadResult? EndTextEarly(DistPlan plan, CompileContext context, ICacheStore storage, string digest, Core.Direct.LinemarkerParser? includes, PrecompiledHeaders.SiblingScan? pchScan)
    {
        if (!_distSentAhead || _distSession is not { } session)
        {
            return null;
        }

        includes?.Complete();
        pchScan?.CheckNew(includes!.Files);
        if (pchScan?.Found is not null)
        {
            return null;
        }

        StorageReadResult? read = null;
        if (!_options.Recache)
        {
            read = storage.Get(CacheKeyBuilder.ResultRecipe(context, digest).ComputeKey());
            if (read is StorageReadResult.Hit)
            {
                return read;
            }
        }

        try
        {
            _distOtherInputs = ReadOtherInputs(plan); // the compile's request sends these very bytes
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return read; // the compile reads them again and reports it
        }

        session.TrySendTextEnd(_distOtherInputs);
        return read;
    }

    /// <summary>The inputs after the text, read once: given at the text's end (<see cref="EndTextEarly"/>), then in the request.</summary>
    private List<KeyValuePair<string, ReadOnlyMemory<byte>>>? _distOtherInputs;

    /// <summary>The compile's inputs after the text: the source (when it goes along) and the extra inputs, read now.</summary>
    private static List<KeyValuePair<string, ReadOnlyMemory<byte>>> ReadOtherInputs(DistPlan plan)
    {
        var inputs = new List<KeyValuePair<string, ReadOnlyMemory<byte>>>(1 + plan.ExtraInputs.Count);
        if (plan.SourcePath is not null)
        {
            inputs.Add(new(plan.SourcePath, File.ReadAllBytes(plan.SourcePath)));
        }

        foreach (var extra in plan.ExtraInputs)
        {
            inputs.Add(new(extra, File.ReadAllBytes(extra)));
        }

        return inputs;
    }

    /// <summary>
    /// Runs the compile on a build server with the text in <paramref name="frame"/>. The outputs are written and
    /// stdout/stderr passed on before it returns; null means "not done remotely" (the reason went to the log): compile locally.
    /// </summary>
    private ProcessResult? TryRunDistributed(DistPlan plan, DistFrame frame, DistStoreRequest? store, Action? whileWaiting, out long micros, out bool storePending)
    {
        var stopwatch = Stopwatch.StartNew();
        micros = 0;
        storePending = false;
        frame.EndText();
        try
        {
            foreach (var (path, content) in _distOtherInputs ?? ReadOtherInputs(plan))
            {
                DistMessageCodec.WriteFile(frame, path, content.Span);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Diagnostics.Write("not distributed: " + e.Message);
            return null;
        }

        var finished = frame.Finish(store);
        var result = DistExchange.TryRun(_options, _compiler, finished, frame.SessionFrame, frame.StoreAt, plan.Outputs, _distSession, plan.RetryLocallyOnError, ref _distDaemonFailed, out storePending, whileWaiting);
        if (result is null)
        {
            return null;
        }

        micros = (long)stopwatch.Elapsed.TotalMicroseconds;
        return result;
    }

    /// <summary>
    /// The entry the daemon is to write after the remote compile (<see cref="DistStoreRequest"/>): for a plain local disk cache
    /// and a compile whose paths <c>SCCACHE_BASEDIRS</c> does not map (the entry is then exactly what this process would
    /// store), on a prepared session (the daemon's report comes on it). Null: this process stores the entry.
    /// </summary>
    private DistStoreRequest? DaemonStore(ICacheStore storage, CompileContext context, DistPlan plan, CacheKey key, DateTime startedUtc)
    {
        if (_distSession is null || storage is not DiskStorage || context.Mapper.IsActive)
        {
            return null;
        }

        var files = new List<DistStoreFile>(4);
        foreach (var (role, path, required) in OutputRoles.For(context.Compilation))
        {
            var full = Path.GetFullPath(path, context.WorkingDirectory);
            files.Add(new DistStoreFile(role, full, required, plan.Outputs.Contains(full)));
        }

        return new DistStoreRequest
        {
            CacheDirectory = _options.CacheDirectory,
            MaxCacheSize = _options.MaxCacheSize,
            ZstdLevel = _options.ZstdLevel,
            Key = key.Hex,
            StartedUtcTicks = startedUtc.Ticks,
            Files = files,
            ReportInRecord = true,
        };
    }

    /// <summary>
    /// The stats record of a compile whose entry the daemon writes (<see cref="DistStoreRequest.ReportInRecord"/>): sent on the
    /// compile's connection, where the daemon puts its write's outcome in.
    /// </summary>
    private CompileRecord DaemonStoredRecord(CompileRecord record)
    {
        if (_distSession is { } session)
        {
            _distSession = null;
            _compiler.RecordChannel = session.TrySendRecord;
        }

        return record with { StoredByDaemon = true };
    }
}
