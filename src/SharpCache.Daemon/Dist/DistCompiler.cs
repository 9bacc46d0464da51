using System.Net;
using SharpCache.Config;
using SharpCache.Daemon;
using SharpCache.Dist.Client;
using SharpCache.Dist.Protocol;
using SharpCache.Logging;
using SharpCache.Protocol;

namespace SharpCache.DaemonProcess.Dist;

/// <summary>
/// Runs compiles on the cluster: toolchain (<see cref="DistToolchains"/>) → <c>alloc_job</c> →
/// toolchain upload when the server lacks it → <c>run_job</c> with the preprocessed input → outputs.
/// Every failure of the cluster (unreachable scheduler, no capacity, a 4xx/5xx, a server that dies,
/// a cut response, a compiler that crashed or could not start in the sandbox, missing outputs) is a
/// <see cref="DistCompileStatus.Failed"/> result: the client compiles locally and the daemon counts a
/// dist error. A compiler that ran and reported errors is <see cref="DistCompileStatus.Completed"/>
/// with its exit code and diagnostics: the client does not compile again.
/// </summary>
internal sealed class DistCompiler : IDistCompiler
{
    /// <summary>After the scheduler could not be reached, compiles stay local this long (no connect attempt each).</summary>
    public TimeSpan SchedulerRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan AllocTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan UploadTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Bound on one run_job round trip (the server has its own job time limit).</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How often <c>alloc_job</c> is asked again when no server has a free slot (50, 100, 200, 400, 800 ms apart).</summary>
    public int NoCapacityRetries { get; init; } = 5;

    /// <summary>Largest output file accepted back.</summary>
    public const long MaxOutputBytes = 1L << 30;

    private const string RemotePath = "/usr/local/bin:/usr/bin:/bin";

    private readonly HttpClient _http;
    private readonly DistSchedulerClient _scheduler;
    private readonly DistServerClient _servers;
    private readonly HttpClient _uploadHttp;
    private readonly DistServerClient _uploadServers;
    private readonly DistToolchains _toolchains;
    private readonly string? _tokenProblem;
    private readonly TimeProvider _time;
    private readonly Uri _schedulerUrl;
    private long _schedulerDownUntil;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task>> _uploads = new(StringComparer.Ordinal);

    /// <summary>
    /// (server, toolchain) pairs this daemon has uploaded: a job allocated while the upload was under way (the
    /// scheduler still says "need toolchain") does not send it again; a 409 <c>toolchain_missing</c> clears the pair.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _uploaded = new(StringComparer.Ordinal);

    /// <summary>Jobs allocated ahead (<see cref="Prepare"/>) whose compile did not come, per toolchain: the next compile takes one.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentQueue<(JobAllocation Job, long Allocated)>> _spares = new(StringComparer.Ordinal);

    /// <summary>How long a spare job is used (the scheduler drops a job not started within <c>job_ready_timeout_secs</c>, 60 s by default).</summary>
    public TimeSpan SpareLifetime { get; init; } = TimeSpan.FromSeconds(10);

    private const int MaxSpares = 64;

    public DistCompiler(DistConfig config, string? bearer, string? tokenProblem, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _time = time ?? TimeProvider.System;
        _schedulerUrl = config.SchedulerUrl ?? throw new ArgumentException("[dist] has no scheduler_url", nameof(config));
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            MaxConnectionsPerServer = 64,
        };
        _http = new HttpClient(handler)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

        // Uploads wait for "100 Continue" before sending the archive: a server that refuses the job token
        // (expired: its clock is ahead of the scheduler's) answers 401 first, and that answer reaches the
        // log instead of a connection reset in the middle of the upload.
        _uploadHttp = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        _uploadHttp.DefaultRequestHeaders.ExpectContinue = true;
        _uploadServers = new DistServerClient(_uploadHttp);
        _scheduler = new DistSchedulerClient(_http, WithSlash(_schedulerUrl), bearer ?? "");
        _servers = new DistServerClient(_http);
        _toolchains = new DistToolchains(config, _time);
        _tokenProblem = bearer is null ? tokenProblem ?? "no token for the scheduler" : null;
    }

    public Task<DistCompileResult> CompileAsync(DistCompileRequest request, CancellationToken cancellationToken) =>
        CompileAsync(request, null, cancellationToken);

    public IDistPreparation? Prepare(string compilerPath, string invokedAs, DistCompileRequest? head, CancellationToken cancellationToken)
    {
        if (_tokenProblem is not null || _time.GetUtcNow().UtcTicks < Interlocked.Read(ref _schedulerDownUntil))
        {
            return null;
        }

        var preparation = new Preparation(this, compilerPath, invokedAs, head);
        preparation.Work = PrepareCoreAsync(preparation, cancellationToken);
        return preparation;
    }

    public async Task<DistCompileResult> CompileAsync(DistCompileRequest request, IDistPreparation? prepared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await CompileGuardedAsync(request, prepared as Preparation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            prepared?.Release();
        }
    }

    private async Task<DistCompileResult> CompileGuardedAsync(DistCompileRequest request, Preparation? prepared, CancellationToken cancellationToken)
    {
        if (_tokenProblem is not null)
        {
            // Dist is configured but cannot work: counted, so `sharpcache -s` shows it.
            return DistCompileResult.Fail(_tokenProblem);
        }

        if (_time.GetUtcNow().UtcTicks < Interlocked.Read(ref _schedulerDownUntil))
        {
            // The compile whose own preparation found the scheduler unreachable reports that failure (it is counted once).
            return await PreparedFailureAsync(prepared, request).ConfigureAwait(false)
                ?? DistCompileResult.Local("the scheduler was unreachable a moment ago: compiling locally for a few seconds");
        }

        try
        {
            return await CompileCoreAsync(request, prepared, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return DistCompileResult.Fail("the daemon is stopping");
        }
        catch (Exception e) when (e is DistClientException or IOException or InvalidDataException or HttpRequestException or OperationCanceledException)
        {
            return DistCompileResult.Fail(e.Message);
        }
#pragma warning disable CA1031 // A bug here must cost one local compile, never the daemon or the build.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return DistCompileResult.Fail("internal error: " + e.GetType().Name + ": " + e.Message);
        }
    }

    private async Task<DistCompileResult> CompileCoreAsync(DistCompileRequest request, Preparation? prepared, CancellationToken cancellationToken)
    {
        var toolchain = await _toolchains.ResolveAsync(request.CompilerPath, request.InvokedAs).ConfigureAwait(false);
        if (toolchain.IsNoDist)
        {
            return DistCompileResult.Local(request.CompilerPath + " is no_dist in [[dist.toolchains]]");
        }

        if (toolchain.Failure is not null)
        {
            return DistCompileResult.Fail(toolchain.Failure);
        }

        var archive = toolchain.Archive!;
        var command = Command(request, archive.CompilerPath);
        if (prepared?.IsFor(request) == true)
        {
            await prepared.Work.ConfigureAwait(false); // it may be sending the job ahead
        }

        if (prepared?.TakeStream(request, command) is { } streamed)
        {
            try
            {
                return Classify(request, streamed.Job, await streamed.Run.ConfigureAwait(false), streamed.Outputs);
            }
            catch (DistClientException e) when (e.Error?.Error == DistErrorCodes.ToolchainMissing)
            {
                // Refused before the inputs were read: upload, and run the same job the usual way.
                var again = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                var completedAgain = await UploadAndRunAgainAsync(streamed.Job, archive.ContentId, toolchain.ArchivePath!, command, InputsTar.Build(request.Inputs), again, cancellationToken).ConfigureAwait(false);
                return Classify(request, streamed.Job, completedAgain, again);
            }
        }

        var allocation = await TakePreparedAsync(prepared, request, archive.ContentId).ConfigureAwait(false) ?? TakeSpare(archive.ContentId);
        if (allocation is null)
        {
            var job = await AllocateWithRetryAsync(archive.ContentId, cancellationToken).ConfigureAwait(false);
            if (job.Failure is not null)
            {
                return job.Failure;
            }

            allocation = job.Allocation!;
        }

        if (allocation.NeedToolchain && !_uploaded.ContainsKey(UploadKey(allocation, archive.ContentId)))
        {
            await UploadAsync(allocation, archive.ContentId, toolchain.ArchivePath!, cancellationToken).ConfigureAwait(false);
        }

        var inputs = InputsTar.Build(request.Inputs);
        var outputs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        CompletedJob completed;
        try
        {
            completed = await RunAsync(allocation, command, inputs, outputs, cancellationToken).ConfigureAwait(false);
        }
        catch (DistClientException e) when (e.Error?.Error == DistErrorCodes.ToolchainMissing)
        {
            // The scheduler's view was stale (the server evicted it, or restarted): upload, run again.
            inputs.Position = 0;
            outputs.Clear();
            completed = await UploadAndRunAgainAsync(allocation, archive.ContentId, toolchain.ArchivePath!, command, inputs, outputs, cancellationToken).ConfigureAwait(false);
        }

        return Classify(request, allocation, completed, outputs);
    }

    /// <summary>After a 409 <c>toolchain_missing</c> (answered before the inputs were read): upload the toolchain, then run the same job framed.</summary>
    private async Task<CompletedJob> UploadAndRunAgainAsync(JobAllocation job, string toolchainId, string archivePath, RunJobRequest command, Stream inputs, Dictionary<string, byte[]> outputs, CancellationToken cancellationToken)
    {
        _uploaded.TryRemove(UploadKey(job, toolchainId), out _);
        await UploadAsync(job, toolchainId, archivePath, cancellationToken).ConfigureAwait(false);
        return await RunAsync(job, command, inputs, outputs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Toolchain and one <c>alloc_job</c> attempt, while the client preprocesses; a failure leaves the compile to allocate
    /// (an unreachable scheduler: its compile reports the failure, see <see cref="PreparedFailureAsync"/>).
    /// </summary>
    private async Task<(string? ToolchainId, JobAllocation? Allocation, DistCompileResult? Failure)> PrepareCoreAsync(Preparation preparation, CancellationToken cancellationToken)
    {
        try
        {
            var toolchain = await _toolchains.ResolveAsync(preparation.CompilerPath, preparation.InvokedAs).ConfigureAwait(false);
            if (toolchain.IsNoDist || toolchain.Failure is not null)
            {
                return (null, null, null);
            }

            var toolchainId = toolchain.Archive!.ContentId;
            var allocation = TakeSpare(toolchainId);
            DistCompileResult? failure = null;
            if (allocation is null)
            {
                (allocation, failure) = await AllocateAsync(toolchainId, cancellationToken).ConfigureAwait(false);
            }

            if (allocation is not null && preparation.Head is { } head && (!allocation.NeedToolchain || _uploaded.ContainsKey(UploadKey(allocation, toolchainId))))
            {
                StartStream(preparation, allocation, Command(head, toolchain.Archive.CompilerPath), cancellationToken);
            }
            else if (allocation is not null && preparation.Head is not null)
            {
                Log.Debug("job " + allocation.JobId + " not sent ahead: " + allocation.ServerId + " needs the toolchain first");
            }

            return (toolchainId, allocation, failure);
        }
#pragma warning disable CA1031 // Ahead-of-time work only: the compile does it again and reports the failure.
        catch (Exception)
#pragma warning restore CA1031
        {
            return (null, null, null);
        }
    }

    /// <summary>
    /// Sends the prepared job to its build server now, its text streaming after it as the client sends it (a server that
    /// already holds the toolchain only: an upload first would hold the text back). The compile that follows completes it.
    /// </summary>
    private void StartStream(Preparation preparation, JobAllocation job, RunJobRequest command, CancellationToken cancellationToken)
    {
        var content = new StreamedJobContent(command);
        if (!preparation.TryAttach(content))
        {
            content.Dispose();
            return;
        }

        var outputs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var run = RunWithTimeoutAsync(job, command, outputs, (onOutput, token) => _servers.RunJobStreamedAsync(job, content, onOutput, token), cancellationToken);
        _ = run.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        preparation.SetStream(new StreamedJob(job, command, content, run, outputs));
        if (Log.IsEnabled(LogLevel.Debug))
        {
            Log.Debug("job " + job.JobId + " sent ahead to " + job.ServerId + ", its text streaming after it");
        }
    }

    /// <summary>The failure the preparation of this very compile met (the scheduler unreachable), if it did.</summary>
    private static async Task<DistCompileResult?> PreparedFailureAsync(Preparation? prepared, DistCompileRequest request) =>
        prepared?.IsFor(request) == true ? (await prepared.Work.ConfigureAwait(false)).Failure : null;

    /// <summary>The job <paramref name="prepared"/> allocated, if it was for this compiler and toolchain.</summary>
    private static async Task<JobAllocation?> TakePreparedAsync(Preparation? prepared, DistCompileRequest request, string toolchainId)
    {
        if (prepared?.IsFor(request) != true)
        {
            return null;
        }

        var (preparedToolchain, allocation, _) = await prepared.Work.ConfigureAwait(false);
        if (allocation is null || preparedToolchain != toolchainId || !prepared.TryUse())
        {
            return null;
        }

        return allocation;
    }

    /// <summary>A job allocated ahead for a compile that did not come (a hit after preprocessing, a preprocessor error), still fresh.</summary>
    private JobAllocation? TakeSpare(string toolchainId)
    {
        if (!_spares.TryGetValue(toolchainId, out var queue))
        {
            return null;
        }

        var now = _time.GetTimestamp();
        while (queue.TryDequeue(out var spare))
        {
            if (_time.GetElapsedTime(spare.Allocated, now) < SpareLifetime)
            {
                return spare.Job;
            }
        }

        return null;
    }

    private void Release(Preparation prepared)
    {
        _ = prepared.Work.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully && t.Result is ({ } toolchainId, { } job, _) && prepared.TryUse())
                {
                    var queue = _spares.GetOrAdd(toolchainId, _ => new System.Collections.Concurrent.ConcurrentQueue<(JobAllocation, long)>());
                    if (queue.Count < MaxSpares)
                    {
                        queue.Enqueue((job, _time.GetTimestamp()));
                        Log.Debug("job " + job.JobId + " kept for the next compile of its toolchain");
                    }
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>What <see cref="Prepare"/> started for one connection: used by its compile, or given back once.</summary>
    private sealed class Preparation(DistCompiler owner, string compilerPath, string invokedAs, DistCompileRequest? head) : IDistPreparation
    {
        private readonly Lock _lock = new();
        private List<ReadOnlyMemory<byte>>? _pending = [];
        private StreamedJobContent? _content;
        private StreamedJob? _stream;
        private const string EndedAtTextEnd = "a job sent ahead was ended at its text's end, before its compile";

        private long _textGiven;
        private IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>>? _ended;
        private bool _released;
        private int _done;

        public string CompilerPath => compilerPath;

        public string InvokedAs => invokedAs;

        /// <summary>The compile's request but its inputs, when the client sent it ahead (the job may then stream).</summary>
        public DistCompileRequest? Head => head;

        public Task<(string? ToolchainId, JobAllocation? Allocation, DistCompileResult? Failure)> Work { get; set; } = null!;

        /// <summary>Whether it was started for this compile's compiler (the connection's next compile may use another).</summary>
        public bool IsFor(DistCompileRequest request) => compilerPath == request.CompilerPath && invokedAs == request.InvokedAs;

        /// <summary>Claims the job (for the compile, or for the spares); false if already claimed.</summary>
        public bool TryUse() => Interlocked.Exchange(ref _done, 1) == 0;

        public void AppendText(ReadOnlyMemory<byte> text)
        {
            lock (_lock)
            {
                _textGiven += text.Length;
                if (_content is not null)
                {
                    _content.Append(text);
                }
                else
                {
                    _pending?.Add(text);
                }
            }
        }

        public void EndText(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> inputs)
        {
            lock (_lock)
            {
                if (_released || _ended is not null)
                {
                    return;
                }

                _ended = inputs;
                if (_content is not null)
                {
                    _content.Complete(default, inputs);
                    Log.Debug(EndedAtTextEnd);
                }
            }
        }

        /// <summary>Takes the job for a stream of <paramref name="content"/>, which gets the text so far; false once released or claimed.</summary>
        public bool TryAttach(StreamedJobContent content)
        {
            lock (_lock)
            {
                if (_released || head is null || !TryUse())
                {
                    Log.Debug("job not sent ahead: " + (_released ? "its compile ended first" : head is null ? "no head" : "already claimed"));
                    return false;
                }

                content.BeginFile(head.Inputs[0].Key);
                foreach (var piece in _pending!)
                {
                    content.Append(piece);
                }

                _pending = null;
                _content = content;
                if (_ended is not null)
                {
                    content.Complete(default, _ended); // the text ended before the job could be sent
                    Log.Debug(EndedAtTextEnd);
                }

                return true;
            }
        }

        public void SetStream(StreamedJob stream)
        {
            lock (_lock)
            {
                _stream = stream;
            }
        }

        /// <summary>
        /// The job sent ahead, completed with <paramref name="request"/>'s remaining text and other inputs, if it was sent for
        /// this very compile (the same command); otherwise null, and a job sent ahead is given up.
        /// </summary>
        public StreamedJob? TakeStream(DistCompileRequest request, RunJobRequest command)
        {
            lock (_lock)
            {
                if (_stream is not { } stream || _released)
                {
                    return null;
                }

                _stream = null;
                if (!Matches(request, command, stream.Command) || request.Inputs[0].Value.Length < _textGiven)
                {
                    stream.Content.Abort();
                    Log.Debug("job " + stream.Job.JobId + " sent ahead does not match its compile: given up");
                    return null;
                }

                if (_ended is not null)
                {
                    // Ended at the text's end: this compile must be that very job (its whole text, the same other inputs).
                    if (request.Inputs[0].Value.Length == _textGiven && SameInputs(request.Inputs.Skip(1), _ended))
                    {
                        return stream;
                    }

                    Log.Debug("job " + stream.Job.JobId + " ended ahead does not match its compile: its answer is not used");
                    return null;
                }

                stream.Content.Complete(request.Inputs[0].Value[(int)_textGiven..], [.. request.Inputs.Skip(1)]);
                return stream;
            }
        }

        private static bool SameInputs(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> inputs, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> ended)
        {
            var i = 0;
            foreach (var (path, content) in inputs)
            {
                if (i >= ended.Count || ended[i].Key != path || !ended[i].Value.Span.SequenceEqual(content.Span))
                {
                    return false;
                }

                i++;
            }

            return i == ended.Count;
        }

        private bool Matches(DistCompileRequest request, RunJobRequest command, RunJobRequest sent) =>
            head is not null && request.Inputs.Count > 0 && request.Inputs[0].Key == head.Inputs[0].Key
            && command.Executable == sent.Executable && command.Cwd == sent.Cwd && command.Arguments.SequenceEqual(sent.Arguments)
            && command.Outputs.SequenceEqual(sent.Outputs) && command.Env.Count == sent.Env.Count
            && command.Env.All(e => sent.Env.TryGetValue(e.Key, out var value) && value == e.Value);

        public void Release()
        {
            lock (_lock)
            {
                _released = true;
                _pending = null;
                if (_content is not null && _content.Abort())
                {
                    Log.Debug("a job sent ahead was given up (its compile did not come, or did not use it)");
                }
            }

            if (Volatile.Read(ref _done) == 0)
            {
                owner.Release(this);
            }
        }
    }

    /// <summary>A job sent to its build server ahead of its text (<see cref="StartStream"/>).</summary>
    private sealed record StreamedJob(JobAllocation Job, RunJobRequest Command, StreamedJobContent Content, Task<CompletedJob> Run, Dictionary<string, byte[]> Outputs);

    private async Task<(JobAllocation? Allocation, DistCompileResult? Failure)> AllocateAsync(string toolchainId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AllocTimeout);
        AllocJobResponse response;
        try
        {
            response = await _scheduler.AllocJobAsync(toolchainId, timeout.Token).ConfigureAwait(false);
        }
        catch (DistClientException e) when (e.Status is null)
        {
            // Not reachable at all: do not pay a connect timeout per compile.
            Interlocked.Exchange(ref _schedulerDownUntil, (_time.GetUtcNow() + SchedulerRetryDelay).UtcTicks);
            return (null, DistCompileResult.Fail("scheduler " + _schedulerUrl + " unreachable: " + e.Message));
        }
        catch (DistClientException e) when (e.Status is HttpStatusCode.Unauthorized)
        {
            return (null, DistCompileResult.Fail("the scheduler refused this client's token (401): check [dist.auth] or run `sharpcache --dist-auth`: " + e.Message));
        }

        if (response.Status != AllocJobStatus.Allocated || response.Job is null)
        {
            return (null, DistCompileResult.Fail("no build server has capacity: " + (response.Reason ?? "no_capacity")));
        }

        return (response.Job, null);
    }

    /// <summary>
    /// <c>alloc_job</c>, asking again a few times (about 1.5 s in all) while every server is full: slots free
    /// up within milliseconds in a busy build, and a 2-core client gains nothing by compiling the job itself.
    /// </summary>
    private async Task<(JobAllocation? Allocation, DistCompileResult? Failure)> AllocateWithRetryAsync(string toolchainId, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 0; ; attempt++)
        {
            var result = await AllocateAsync(toolchainId, cancellationToken).ConfigureAwait(false);
            if (result.Allocation is not null || attempt == NoCapacityRetries || result.Failure?.Reason?.StartsWith("no build server has capacity", StringComparison.Ordinal) != true)
            {
                return result;
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay *= 2;
        }
    }

    /// <summary>
    /// Uploads the toolchain once per server however many jobs were allocated before it arrived: a job
    /// whose server is already receiving it waits for that upload (and its outcome) instead of sending it again.
    /// </summary>
    private async Task UploadAsync(JobAllocation job, string toolchainId, string archivePath, CancellationToken cancellationToken)
    {
        var key = UploadKey(job, toolchainId);
        var upload = _uploads.GetOrAdd(key, _ => new Lazy<Task>(() => UploadOnceAsync(job, toolchainId, archivePath, CancellationToken.None)));
        try
        {
            await upload.Value.WaitAsync(UploadTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (upload.Value.IsCompleted)
            {
                _uploads.TryRemove(new KeyValuePair<string, Lazy<Task>>(key, upload));
            }
        }
    }

    private async Task UploadOnceAsync(JobAllocation job, string toolchainId, string archivePath, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(UploadTimeout);
        await using var archive = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var answer = await _uploadServers.UploadToolchainAsync(job, toolchainId, archive, timeout.Token).ConfigureAwait(false);
        _uploaded[UploadKey(job, toolchainId)] = 0;
        Log.Debug("toolchain " + toolchainId + " on " + job.ServerId + ": " + answer.Status);
    }

    private static string UploadKey(JobAllocation job, string toolchainId) => job.ServerId + "\0" + toolchainId;

    private Task<CompletedJob> RunAsync(JobAllocation job, RunJobRequest command, Stream inputs, Dictionary<string, byte[]> outputs, CancellationToken cancellationToken) =>
        RunWithTimeoutAsync(job, command, outputs, (onOutput, token) => _servers.RunJobAsync(job, command, inputs, onOutput, token), cancellationToken);

    /// <summary>One run_job round trip under <see cref="RunTimeout"/>, the outputs asked for collected into <paramref name="outputs"/>.</summary>
    private async Task<CompletedJob> RunWithTimeoutAsync(JobAllocation job, RunJobRequest command, Dictionary<string, byte[]> outputs, Func<Func<OutputFile, Stream, CancellationToken, Task>, CancellationToken, Task<CompletedJob>> run, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RunTimeout);
        var wanted = new HashSet<string>(command.Outputs, StringComparer.Ordinal);
        return await run(
            async (file, stream, ct) =>
            {
                if (!wanted.Contains(file.Path) || outputs.ContainsKey(file.Path) || file.Length > MaxOutputBytes)
                {
                    throw new InvalidDataException($"server {job.ServerId} returned an output that was not asked for: {file.Path}");
                }

                var bytes = new byte[file.Length];
                await stream.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
                outputs[file.Path] = bytes;
            },
            timeout.Token).ConfigureAwait(false);
    }

    private static RunJobRequest Command(DistCompileRequest request, string executable) => new()
    {
        Executable = executable,
        Arguments = request.Arguments,
        Env = Environment(request),
        Cwd = request.WorkingDirectory,
        Outputs = request.Outputs,
    };

    private static DistCompileResult Classify(DistCompileRequest request, JobAllocation job, CompletedJob completed, Dictionary<string, byte[]> outputs)
    {
        var result = completed.Result;
        var where = " on " + job.ServerId;
        if (result.Signal is { } signal)
        {
            return DistCompileResult.Fail($"the compiler was killed by signal {signal}{where}");
        }

        if (result.ExitCode is 126 or 127)
        {
            return DistCompileResult.Fail($"the compiler could not be started{where} (exit {result.ExitCode}): {Head(completed.Stderr)}");
        }

        if (result.ExitCode != 0 && InfrastructureFailure(completed.Stderr) is { } cause)
        {
            return DistCompileResult.Fail($"the toolchain failed{where}: {cause}");
        }

        if (result.ExitCode == 0)
        {
            foreach (var required in request.RequiredOutputs)
            {
                if (!outputs.ContainsKey(required))
                {
                    return DistCompileResult.Fail($"the compile{where} succeeded but did not return {required}");
                }
            }
        }

        return new DistCompileResult
        {
            Status = DistCompileStatus.Completed,
            Server = job.ServerId,
            ExitCode = result.ExitCode,
            Stdout = completed.Stdout,
            Stderr = completed.Stderr,
            Outputs = [.. outputs],
        };
    }

    /// <summary>
    /// Diagnostics that come from a broken toolchain or sandbox rather than the user's code: a local
    /// compile would not print them, so the client compiles locally instead of failing the build.
    /// </summary>
    /// <remarks>
    /// The job compiles preprocessed text, so a file the compiler or the assembler cannot find on the server is one the
    /// client did not send, never the user's mistake (a missing header fails the preprocessor, on the client): "No such
    /// file or directory" (gcc, gas, clang's "no such file or directory"), an <c>.incbin</c> file (gas: "file not found", clang:
    /// "Could not find incbin file"), a plugin that does not load, a character set the server's iconv lacks
    /// (<c>-fexec-charset=IBM1047</c>: the toolchain carries no gconv modules). Should a genuine diagnostic quote such words, the local compile gives the same answer again.
    /// </remarks>
    private static string? InfrastructureFailure(byte[] stderr)
    {
        var text = System.Text.Encoding.UTF8.GetString(stderr);
        string[] markers =
        [
            "error while loading shared libraries",
            "fatal error: cannot execute",
            "terminated program",
            "No such file or directory",
            "file not found",
            "could not find incbin file",
            "cannot load plugin",
            "not supported by iconv",
            "unable to execute command",
            "cannot find 'ld'",
            "internal compiler error: Killed",
        ];
        foreach (var marker in markers)
        {
            if (text.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return Head(stderr);
            }
        }

        return null;
    }

    private static string Head(byte[] stderr)
    {
        var text = System.Text.Encoding.UTF8.GetString(stderr, 0, Math.Min(stderr.Length, 400)).Trim();
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }

    private static Dictionary<string, string> Environment(DistCompileRequest request)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Environment)
        {
            env[name] = value;
        }

        env["PATH"] = RemotePath;
        return env;
    }

    private static Uri WithSlash(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    public ValueTask DisposeAsync()
    {
        _uploadHttp.Dispose();
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
