using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using SharpCache.Dist.Archives;
using SharpCache.Dist.Http;
using SharpCache.Dist.Protocol;
using SharpCache.Dist.Sandbox;

namespace SharpCache.Dist.Server;

/// <summary>The toolchain and run_job endpoints.</summary>
public sealed partial class BuildServerHost
{
    private async Task UploadToolchainAsync(HttpContext context)
    {
        var claims = await AuthorizeJobAsync(context).ConfigureAwait(false);
        if (claims is null)
        {
            return;
        }

        if (!ToolchainId.TryParse(context.Request.RouteValues["toolchainId"] as string, out var id) || id.ToString() != claims.ToolchainId)
        {
            await HttpJson.ErrorAsync(context, 400, DistErrorCodes.BadRequest, "the toolchain id in the path is not the one this job token is for").ConfigureAwait(false);
            return;
        }

        if (_toolchains.Contains(id))
        {
            await HttpJson.WriteAsync(context, 200, new ToolchainUploadResponse(ToolchainUploadStatus.AlreadyPresent, null), DistJsonContext.Default.ToolchainUploadResponse).ConfigureAwait(false);
            return;
        }

        if (!await HttpJson.LimitBodyAsync(context, _config.MaxToolchainArchiveSize).ConfigureAwait(false))
        {
            return;
        }

        ToolchainStoreResult result;
        try
        {
            result = await _toolchains.StoreAsync(id, context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            await HttpJson.ErrorAsync(context, e.StatusCode, e.StatusCode == 413 ? DistErrorCodes.ToolchainTooLarge : DistErrorCodes.BadRequest, e.Message).ConfigureAwait(false);
            return;
        }

        Log.ToolchainUpload(_log, id.ToString(), result.ToString());
        await (result switch
        {
            ToolchainStoreResult.Stored => HttpJson.WriteAsync(context, 200, new ToolchainUploadResponse(ToolchainUploadStatus.Stored, null), DistJsonContext.Default.ToolchainUploadResponse),
            ToolchainStoreResult.AlreadyPresent => HttpJson.WriteAsync(context, 200, new ToolchainUploadResponse(ToolchainUploadStatus.AlreadyPresent, null), DistJsonContext.Default.ToolchainUploadResponse),
            ToolchainStoreResult.HashMismatch m => HttpJson.ErrorAsync(context, 400, DistErrorCodes.ToolchainRejected, $"archive content hashes to {m.Actual}, not to its id {id}"),
            ToolchainStoreResult.Unsafe u => HttpJson.ErrorAsync(context, 400, DistErrorCodes.ToolchainRejected, u.Error.ToString()),
            ToolchainStoreResult.TooLarge t => HttpJson.ErrorAsync(context, 413, DistErrorCodes.ToolchainTooLarge, t.Reason),
            _ => HttpJson.ErrorAsync(context, 500, DistErrorCodes.Internal, "unknown store result"),
        }).ConfigureAwait(false);
    }

    private async Task RunJobAsync(HttpContext context)
    {
        var claims = await AuthorizeJobAsync(context).ConfigureAwait(false);
        if (claims is null)
        {
            return;
        }

        if (!ulong.TryParse(context.Request.RouteValues["jobId"] as string, out var jobId) || jobId != claims.JobId)
        {
            await HttpJson.ErrorAsync(context, 401, DistErrorCodes.Unauthorized, "the job token is for another job").ConfigureAwait(false);
            return;
        }

        if (!await HttpJson.LimitBodyAsync(context, _config.MaxInputsSize + Frame.MaxFrameLength + 4).ConfigureAwait(false))
        {
            return;
        }

        RunJobRequest job;
        try
        {
            job = await Frame.ReadAsync(context.Request.Body, DistJsonContext.Default.RunJobRequest, Frame.MaxFrameLength, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            await HttpJson.ErrorAsync(context, 400, DistErrorCodes.BadRequest, e.Message).ConfigureAwait(false);
            return;
        }
        catch (BadHttpRequestException e)
        {
            await HttpJson.ErrorAsync(context, e.StatusCode, DistErrorCodes.TooLarge, e.Message).ConfigureAwait(false);
            return;
        }

        if (Validate(job) is { } invalid)
        {
            await HttpJson.ErrorAsync(context, 400, DistErrorCodes.BadRequest, invalid).ConfigureAwait(false);
            return;
        }

        ToolchainId.TryParse(claims.ToolchainId, out var toolchainId);
        using var lease = _toolchains.Acquire(toolchainId);
        if (lease is null)
        {
            await HttpJson.ErrorAsync(context, 409, DistErrorCodes.ToolchainMissing, $"toolchain {claims.ToolchainId} is not on this server; upload it first").ConfigureAwait(false);
            return;
        }

        if (!_usedJobIds.TryClaim(jobId, claims.ExpiresAtUnixMs))
        {
            await HttpJson.ErrorAsync(context, 409, DistErrorCodes.JobAlreadyRun, $"job {jobId} has already run").ConfigureAwait(false);
            return;
        }

        // A streamed job's inputs arrive while its client preprocesses: no slot is held meanwhile, and no minimum data rate
        // applies (a slow preprocessor sends nothing for a while); the whole is bounded by InputsTimeout instead.
        var streamed = DistRoutes.IsStreamed(context.Request.ContentType);
        var slotHeld = false;
        if (!streamed)
        {
            await _slots.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            slotHeld = true;
        }
        else if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }

        var prepared = _sandbox.TakePrepared(lease.Root);
        var jobDir = prepared?.JobDir ?? _sandbox.CreateJobDirectory(jobId);

        // A streamed job's sandbox gets its command while the inputs still come: after them only the go byte is left.
        var armed = streamed && prepared is not null ? await _sandbox.ArmAsync(prepared, job).ConfigureAwait(false) : null;
        _running[jobId] = 0;
        using var finished = new CancellationTokenSource();
        var reports = Task.CompletedTask;
        try
        {
            if (!await ReceiveInputsAsync(context, streamed, jobDir).ConfigureAwait(false))
            {
                return;
            }

            if (!slotHeld)
            {
                await _slots.WaitAsync(context.RequestAborted).ConfigureAwait(false);
                slotHeld = true;
            }

            reports = ReportStartedUnlessQuickAsync(jobId, finished.Token);
            await RunAndRespondAsync(context, jobId, job, lease.Root, jobDir, prepared, armed, () => _toolchains.Acquire(toolchainId)).ConfigureAwait(false);
        }
        finally
        {
            prepared?.Discard(keepDirectory: true); // unless its job started in it: rejected before, or did not fit
            _running.TryRemove(jobId, out _);
            if (slotHeld)
            {
                _slots.Release();
            }

            await finished.CancelAsync().ConfigureAwait(false);
            _ = ReportInBackground(reports, jobId, JobState.Complete);
            _ = Task.Run(() => JobDirectories.TryDelete(jobDir)); // off the answer: the response ends when this handler returns
        }
    }

    /// <summary>Longest a streamed job's inputs may take to arrive (its client preprocesses meanwhile).</summary>
    private static readonly TimeSpan InputsTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Writes the job's inputs into its tree: a streamed body's records as they come, or the inputs tar (spooled, then
    /// unpacked). False when they were refused (the error answer is written) or the request is too large.
    /// </summary>
    private async Task<bool> ReceiveInputsAsync(HttpContext context, bool streamed, string jobDir)
    {
        var jobRoot = Path.Combine(jobDir, "root");
        var limits = new UnpackLimits(_config.MaxInputsSize, _config.MaxInputFiles, AllowLinks: false);
        UnpackResult unpacked;
        try
        {
            if (streamed)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                timeout.CancelAfter(InputsTimeout);
                unpacked = await StreamedInputsReader.ReceiveAsync(context.Request.Body, jobRoot, limits, timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await using var file = await SpoolAsync(context.Request.Body, context.Request.ContentLength, Path.Combine(jobDir, "inputs.tar"), context.RequestAborted).ConfigureAwait(false);
                unpacked = file.Length == 0
                    ? new UnpackResult(0, 0, null)
                    : await SafeTarExtractor.ExtractAsync(file, jobRoot, limits, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (BadHttpRequestException e)
        {
            await HttpJson.ErrorAsync(context, e.StatusCode, DistErrorCodes.TooLarge, e.Message).ConfigureAwait(false);
            return false;
        }
        catch (IOException) when (streamed)
        {
            // The client went away while its inputs came (a job it gave up, closing the connection): nobody to answer.
            return false;
        }
        catch (OperationCanceledException) when (streamed && !context.RequestAborted.IsCancellationRequested)
        {
            await HttpJson.ErrorAsync(context, 408, DistErrorCodes.InputsRejected, $"the job's inputs did not arrive within {InputsTimeout.TotalMinutes} minutes").ConfigureAwait(false);
            return false;
        }

        if (unpacked.Error is { } error)
        {
            await HttpJson.ErrorAsync(context, 400, DistErrorCodes.InputsRejected, error.ToString()).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private async Task RunAndRespondAsync(HttpContext context, ulong jobId, RunJobRequest job, string toolchainRoot, string jobDir, PreparedSandboxes.Prepared? prepared, string? armed, Func<IDisposable?> pin)
    {
        var jobRoot = Path.Combine(jobDir, "root");

        // The working directory and each output's directory exist before the compiler starts (inputs hold no links, so this stays in the tree).
        Directory.CreateDirectory(Path.Combine(jobRoot, job.Cwd.TrimStart('/')));
        foreach (var output in job.Outputs)
        {
            var full = Path.Combine(jobRoot, SandboxPath(job.Cwd, output).TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }

        var outcome = await _sandbox.RunAsync(toolchainRoot, jobDir, job, prepared, pin, context.RequestAborted, armed).ConfigureAwait(false);
        switch (outcome)
        {
            case SandboxOutcome.Completed completed:
                Log.JobCompleted(_log, jobId, completed.ExitCode);
                await JobResponse.WriteAsync(context, completed, jobRoot, job, _config.MaxOutputSize).ConfigureAwait(false);
                break;
            case SandboxOutcome.TimedOut timedOut:
                Log.JobFailed(_log, jobId, $"timed out after {timedOut.Limit}");
                await HttpJson.ErrorAsync(context, 500, DistErrorCodes.TimedOut, $"job ran longer than job_timeout_secs ({timedOut.Limit.TotalSeconds} s) and was killed").ConfigureAwait(false);
                break;
            case SandboxOutcome.Failed failed:
                Log.JobFailed(_log, jobId, failed.Reason);
                await HttpJson.ErrorAsync(context, 500, DistErrorCodes.SandboxFailed, failed.Reason).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>A job still running this long after its start is reported as started; a quicker one only as complete.</summary>
    private static readonly TimeSpan StartedReportDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Tells the scheduler a job has started, unless it finishes within <see cref="StartedReportDelay"/>: most compiles
    /// do, and the report (an HTTP round trip here and work on the scheduler) would compete with the job for the CPU.
    /// The scheduler takes a job straight from allocated to complete.
    /// </summary>
    private async Task ReportStartedUnlessQuickAsync(ulong jobId, CancellationToken finished)
    {
        try
        {
            await Task.Delay(StartedReportDelay, finished).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await ReportInBackground(Task.CompletedTask, jobId, JobState.Started).ConfigureAwait(false);
    }

    /// <summary>Inputs up to this size are held in memory on their way to the job tree; larger ones go through a file.</summary>
    private const int InMemorySpool = 8 << 20;

    /// <summary>
    /// Reads the inputs tar (the tar reader needs a seekable stream): in memory while small, else into <paramref name="path"/>.
    /// A body of known length (<paramref name="contentLength"/>, the whole body: the rest after the command frame is shorter)
    /// is read straight into one array of that size.
    /// </summary>
    private static async Task<Stream> SpoolAsync(Stream body, long? contentLength, string path, CancellationToken cancellationToken)
    {
        if (contentLength is { } known and <= InMemorySpool)
        {
            var data = GC.AllocateUninitializedArray<byte>((int)known);
            var filled = await body.ReadAtLeastAsync(data, data.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return new MemoryStream(data, 0, filled, writable: false, publiclyVisible: true);
        }

        var memory = new MemoryStream();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                memory.Write(buffer, 0, read);
                if (memory.Length > InMemorySpool)
                {
                    var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                    try
                    {
                        memory.Position = 0;
                        await memory.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                        await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                        file.Position = 0;
                        return file;
                    }
                    catch
                    {
                        await file.DisposeAsync().ConfigureAwait(false);
                        throw;
                    }
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        memory.Position = 0;
        return memory;
    }

    /// <summary>An output path as an absolute sandbox path (relative ones are under the cwd).</summary>
    internal static string SandboxPath(string cwd, string path) => path.StartsWith('/') ? path : $"{cwd.TrimEnd('/')}/{path}";

    private static string? Validate(RunJobRequest job)
    {
        static bool Clean(string path) => path.StartsWith('/') && !path.Contains('\0', StringComparison.Ordinal)
            && !path.Split('/').Contains("..");

        if (!Clean(job.Executable) || !Clean(job.Cwd))
        {
            return "executable and cwd must be absolute paths without '..'";
        }

        foreach (var output in job.Outputs)
        {
            if (output.Length == 0 || output.Contains('\0', StringComparison.Ordinal) || output.Split('/').Contains(".."))
            {
                return $"output '{output}' must be a path without '..'";
            }
        }

        return job.Arguments.Any(a => a.Contains('\0', StringComparison.Ordinal)) ? "arguments may not contain NUL" : null;
    }
}
